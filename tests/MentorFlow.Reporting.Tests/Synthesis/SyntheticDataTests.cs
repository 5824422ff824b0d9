using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Synthesis;

namespace MentorFlow.Reporting.Tests.Synthesis;

public sealed class SyntheticDataTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mentorflow-synth-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void WriteTo_WritesEverySixFilesThatTheReadersAcceptWithoutErrors()
    {
        var data = SyntheticData.Generate(new SynthOptions { Mentors = 30, Mentees = 120, Seed = 3 });

        var files = data.WriteTo(_directory).Select(Path.GetFileName).Order();

        Assert.Equal(["applications.csv", "history-applications.csv", "outcomes.csv", "platform.csv", "relationships.csv", "testimonials.csv"], files);
        Assert.Equal(150, ApplicationsCsv.Read(Path.Combine(_directory, SyntheticData.CohortFile)).OrThrow().Count);
        var history = ApplicationsCsv.Read(Path.Combine(_directory, SyntheticData.HistoryFile)).OrThrow();
        var outcomes = OutcomesCsv.Read(Path.Combine(_directory, SyntheticData.OutcomesFile));
        Assert.Empty(outcomes.Errors);
        Assert.Empty(OutcomesCsv.CheckReferences(outcomes, history, SyntheticData.OutcomesFile));
        Assert.Empty(RelationshipsCsv.Read(Path.Combine(_directory, SyntheticData.RelationshipsFile)).Errors);
        Assert.Empty(TestimonialsCsv.Read(Path.Combine(_directory, SyntheticData.TestimonialsFile)).Errors);
        Assert.Empty(PlatformCsv.Read(Path.Combine(_directory, SyntheticData.PlatformFile)).Errors);
    }

    [Fact]
    public void Generate_SameSeed_GivesIdenticalFiles()
    {
        var other = Directory.CreateTempSubdirectory("mentorflow-synth-").FullName;
        try
        {
            SyntheticData.Generate(new SynthOptions { Mentors = 10, Mentees = 40, Seed = 9 }).WriteTo(_directory);
            SyntheticData.Generate(new SynthOptions { Mentors = 10, Mentees = 40, Seed = 9 }).WriteTo(other);

            foreach (var file in Directory.GetFiles(_directory))
            {
                Assert.Equal(File.ReadAllText(file), File.ReadAllText(Path.Combine(other, Path.GetFileName(file))));
            }
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void Generate_KeepsRelationshipsOutcomesAndTestimonialsConsistent()
    {
        var data = SyntheticData.Generate(new SynthOptions { Mentors = 40, Mentees = 160, Seed = 4 });
        var outcomes = data.Outcomes.ToDictionary(o => (o.MentorId, o.MenteeId));
        var people = data.History.ToDictionary(a => a.Id);

        Assert.All(data.Relationships, r =>
        {
            Assert.Equal(Role.Mentor, people[r.MentorId].Role);
            Assert.Equal(Role.Mentee, people[r.MenteeId].Role);
            if (r.Status == RelationshipStatus.Active)
            {
                Assert.False(outcomes.ContainsKey((r.MentorId, r.MenteeId)));
                Assert.True(r.PlannedEnd > data.Today);
            }
            else
            {
                var o = outcomes[(r.MentorId, r.MenteeId)];
                Assert.Equal(r.Status == RelationshipStatus.Completed, o.Completed);
                Assert.Equal(r.GoalMet, o.GoalMet);
                Assert.Equal(r.Satisfaction, o.Satisfaction);
                Assert.True(r.Ended <= data.Today);
            }
        });
        Assert.Contains(data.Relationships, r => r.Status == RelationshipStatus.Active);
        Assert.All(data.Testimonials, t =>
        {
            Assert.Equal(t.Role, people[t.ParticipantId].Role);
            Assert.True(t.Date <= data.Today);
        });
        Assert.NotEmpty(data.Testimonials);
        Assert.Equal(data.Today, data.Platform[^1].Date);
        Assert.Equal(data.Platform.Count, data.Platform.Select(d => d.Date).Distinct().Count());
    }

    [Fact]
    public void CompatibilityRule_RewardsSameCareerAndPenalisesNoSharedLanguage()
    {
        var rule = new CompatibilityRule(1);
        var data = SyntheticData.Generate(new SynthOptions { Mentors = 1, Mentees = 1, Seed = 2 });
        var mentor = data.Cohort[0] with { CareerPath = "data-science", Languages = ["en"] };
        var mentee = data.Cohort[1] with { CareerPath = "data-science", Languages = ["en"] };

        var same = rule.Probability(mentor, mentee);
        var otherCareer = rule.Probability(mentor, mentee with { CareerPath = "sales" });
        var noLanguage = rule.Probability(mentor, mentee with { Languages = ["ja"] });

        Assert.True(same > otherCareer);
        Assert.True(same > noLanguage + 0.2);
    }
}
