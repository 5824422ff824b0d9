using System.Text.Json;
using MentorFlow.Mentoring.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MentorFlow.Mentoring.Persistence;

/// <summary>The mentoring tables (<c>mf_*</c>), added to the deployment's one DbContext.</summary>
public static class MentoringModel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ModelBuilder AddMentoringModel(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Programme>(programme =>
        {
            programme.ToTable("mf_programmes");
            programme.HasKey(p => p.Id);
            programme.Property(p => p.Name).HasMaxLength(200);
            programme.Property(p => p.Description).HasMaxLength(4000);
            programme.Property(p => p.OrganizerMailbox).HasMaxLength(320);
            programme.Property(p => p.TimeZone).HasMaxLength(100);
            programme.Property(p => p.Language).HasMaxLength(8);
            programme.Property(p => p.DefaultCommunication).HasMaxLength(40);
            programme.Property(p => p.Phase).HasConversion<string>().HasMaxLength(20);
            programme.Property(p => p.DefaultMeetingFrequency).HasConversion<string>().HasMaxLength(20);
            programme.Property(p => p.Resources).HasConversion(JsonConverter<List<ProgrammeResource>>(), ListComparer<ProgrammeResource>());
            programme.Property(p => p.LengthOptions).HasConversion(JsonConverter<List<Reporting.Data.ProgrammeLength>>(), ListComparer<Reporting.Data.ProgrammeLength>());
            programme.Property(p => p.InterestTerms).HasConversion(JsonConverter<List<string>>(), ListComparer<string>());
            programme.Property(p => p.CareerPathTerms).HasConversion(JsonConverter<List<string>>(), ListComparer<string>());
            programme.Property(p => p.GoalTerms).HasConversion(JsonConverter<List<string>>(), ListComparer<string>());
        });

        modelBuilder.Entity<CommunityMember>(member =>
        {
            member.ToTable("mf_community_members");
            member.HasKey(m => m.Id);
            member.Property(m => m.Email).HasMaxLength(320);
            member.Property(m => m.Name).HasMaxLength(200);
            member.HasIndex(m => new { m.ProgrammeId, m.Email }).IsUnique();
            member.HasOne<Programme>().WithMany().HasForeignKey(m => m.ProgrammeId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<PollResponse>(response =>
        {
            response.ToTable("mf_poll_responses");
            response.HasKey(r => r.Id);
            response.Property(r => r.Email).HasMaxLength(320);
            response.Property(r => r.Name).HasMaxLength(200);
            response.Property(r => r.Choice).HasConversion<string>().HasMaxLength(10);
            Tags(response.Property(r => r.Topics));
            response.HasIndex(r => new { r.ProgrammeId, r.Email }).IsUnique();
            response.HasOne<Programme>().WithMany().HasForeignKey(r => r.ProgrammeId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Application>(application =>
        {
            application.ToTable("mf_applications");
            application.HasKey(a => a.Id);
            application.Property(a => a.ExternalId).HasMaxLength(100);
            application.Property(a => a.Role).HasConversion<string>().HasMaxLength(10);
            application.Property(a => a.Name).HasMaxLength(200);
            application.Property(a => a.Email).HasMaxLength(320);
            application.Property(a => a.TimeZone).HasMaxLength(100);
            application.Property(a => a.CareerPath).HasMaxLength(100);
            application.Property(a => a.PreferredLength).HasConversion<string>().HasMaxLength(20);
            application.Property(a => a.Statement).HasMaxLength(4000);
            application.Property(a => a.WelcomedBy).HasMaxLength(64);
            application.Property(a => a.HoursPerMonth).HasPrecision(9, 2);
            Tags(application.Property(a => a.Interests));
            Tags(application.Property(a => a.Goals));
            Tags(application.Property(a => a.Expertise));
            Tags(application.Property(a => a.Communication));
            Tags(application.Property(a => a.Languages));
            application.HasIndex(a => new { a.ProgrammeId, a.Email }).IsUnique();
            application.HasIndex(a => new { a.ProgrammeId, a.ExternalId }).IsUnique();
            application.HasOne<Programme>().WithMany().HasForeignKey(a => a.ProgrammeId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Pair>(pair =>
        {
            pair.ToTable("mf_pairs");
            pair.HasKey(p => p.Id);
            pair.Property(p => p.Reasons).HasMaxLength(1000);
            pair.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
            pair.Property(p => p.DeclinedBy).HasConversion<string>().HasMaxLength(10);
            pair.Property(p => p.MeetingFrequency).HasConversion<string>().HasMaxLength(20);
            pair.Property(p => p.Length).HasConversion<string>().HasMaxLength(20);
            pair.Property(p => p.Communication).HasMaxLength(40);
            pair.HasIndex(p => new { p.ProgrammeId, p.Status });
            pair.HasIndex(p => new { p.ProgrammeId, p.MentorId, p.MenteeId });
            pair.HasOne<Programme>().WithMany().HasForeignKey(p => p.ProgrammeId).OnDelete(DeleteBehavior.Cascade);
            pair.HasOne<Application>().WithMany().HasForeignKey(p => p.MentorId).OnDelete(DeleteBehavior.Restrict);
            pair.HasOne<Application>().WithMany().HasForeignKey(p => p.MenteeId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<Goal>(goal =>
        {
            goal.ToTable("mf_goals");
            goal.HasKey(g => g.Id);
            goal.Property(g => g.Text).HasMaxLength(1000);
            goal.Property(g => g.Status).HasConversion<string>().HasMaxLength(10);
            goal.Property(g => g.MetMarkedBy).HasConversion<string>().HasMaxLength(10);
            goal.HasIndex(g => g.PairId);
            goal.HasOne<Pair>().WithMany().HasForeignKey(g => g.PairId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<MatchConstraint>(constraint =>
        {
            constraint.ToTable("mf_match_constraints");
            constraint.HasKey(c => c.Id);
            constraint.Property(c => c.Kind).HasConversion<string>().HasMaxLength(10);
            constraint.HasIndex(c => new { c.ProgrammeId, c.MentorId, c.MenteeId }).IsUnique();
            constraint.HasOne<Programme>().WithMany().HasForeignKey(c => c.ProgrammeId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SurveyResponse>(survey =>
        {
            survey.ToTable("mf_survey_responses");
            survey.HasKey(s => s.Id);
            survey.Property(s => s.Kind).HasConversion<string>().HasMaxLength(20);
            survey.Property(s => s.Comment).HasMaxLength(4000);
            survey.HasIndex(s => new { s.PairId, s.ParticipantId, s.Kind, s.Round }).IsUnique();
            survey.HasOne<Pair>().WithMany().HasForeignKey(s => s.PairId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Testimonial>(testimonial =>
        {
            testimonial.ToTable("mf_testimonials");
            testimonial.HasKey(t => t.Id);
            testimonial.Property(t => t.Role).HasConversion<string>().HasMaxLength(10);
            testimonial.Property(t => t.Text).HasMaxLength(4000);
            testimonial.HasIndex(t => new { t.ProgrammeId, t.ParticipantId });
            testimonial.HasOne<Programme>().WithMany().HasForeignKey(t => t.ProgrammeId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AuditEntry>(audit =>
        {
            audit.ToTable("mf_audit");
            audit.HasKey(a => a.Id);
            audit.Property(a => a.Actor).HasMaxLength(200);
            audit.Property(a => a.Action).HasMaxLength(100);
            audit.Property(a => a.Subject).HasMaxLength(400);
            audit.Property(a => a.Details).HasMaxLength(4000);
            audit.HasIndex(a => a.ProgrammeId);
        });

        modelBuilder.Entity<MatchingRun>(run =>
        {
            run.ToTable("mf_matching_runs");
            run.HasKey(r => r.Id);
            run.Property(r => r.Method).HasMaxLength(40);
            run.HasIndex(r => r.ProgrammeId);
            run.HasOne<Programme>().WithMany().HasForeignKey(r => r.ProgrammeId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<MentorChoice>(choice =>
        {
            choice.ToTable("mf_mentor_choices");
            choice.HasKey(c => c.Id);
            choice.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
            choice.Property(c => c.Candidates).HasConversion(JsonConverter<List<MentorCandidate>>(), ListComparer<MentorCandidate>());
            choice.HasIndex(c => new { c.ProgrammeId, c.Status });
            choice.HasIndex(c => c.MenteeId);
            choice.HasOne<Programme>().WithMany().HasForeignKey(c => c.ProgrammeId).OnDelete(DeleteBehavior.Cascade);
            choice.HasOne<Application>().WithMany().HasForeignKey(c => c.MenteeId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<FlowIncident>(incident =>
        {
            incident.ToTable("mf_flow_incidents");
            incident.HasKey(i => i.Id);
            incident.Property(i => i.Key).HasMaxLength(200);
            incident.Property(i => i.SubjectKind).HasMaxLength(20);
            incident.Property(i => i.DefinitionId).HasMaxLength(128);
            incident.Property(i => i.InstanceId).HasMaxLength(64);
            incident.Property(i => i.Problem).HasMaxLength(20);
            incident.Property(i => i.Message).HasMaxLength(1000);
            incident.HasIndex(i => i.Key).IsUnique();
            incident.HasIndex(i => new { i.ProgrammeId, i.ResolvedAt });
            incident.HasOne<Programme>().WithMany().HasForeignKey(i => i.ProgrammeId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<UsedLink>(link =>
        {
            link.ToTable("mf_used_links");
            link.HasKey(l => l.Nonce);
            link.Property(l => l.Nonce).HasMaxLength(64);
            link.Property(l => l.Purpose).HasConversion<string>().HasMaxLength(20);
        });

        return modelBuilder;
    }

    private static void Tags(PropertyBuilder<List<string>> property) =>
        property.HasConversion(
                new ValueConverter<List<string>, string>(
                    list => string.Join(';', list),
                    text => text.Length == 0 ? new List<string>() : text.Split(';', StringSplitOptions.None).ToList()),
                ListComparer<string>())
            .HasMaxLength(2000);

    private static ValueConverter<T, string> JsonConverter<T>()
        where T : new() =>
        new(value => JsonSerializer.Serialize(value, Json), text => JsonSerializer.Deserialize<T>(text, Json) ?? new T());

    private static ValueComparer<List<T>> ListComparer<T>() =>
        new((left, right) => left!.SequenceEqual(right!),
            list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
            list => list.ToList());
}
