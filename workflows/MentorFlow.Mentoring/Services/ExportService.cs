using System.Globalization;
using MentorFlow.Mentoring.Csv;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Mentoring.Services;

/// <summary>
/// The CSV exports of a programme in the formats of docs/data-formats.md (<c>/api/programmes/{id}/export/{file}</c>), so a
/// notebook runs on a live service or on files alike: applications, pairs, relationships, testimonials, plus the
/// community list (members.csv) and the poll answers (poll.csv).
/// </summary>
public sealed class ExportService(IMentoringDb database)
{
    public static readonly IReadOnlyList<string> Files =
        ["applications.csv", "pairs.csv", "relationships.csv", "testimonials.csv", "members.csv", "poll.csv"];

    public async Task<string> ExportAsync(Guid programmeId, string file, CancellationToken cancellationToken = default)
    {
        if (!Files.Contains(file))
        {
            throw MentoringProblemException.NotFound("file", $"There is no export '{file}': use {string.Join(", ", Files)}.");
        }

        await using var db = await database.CreateAsync(cancellationToken);
        var programme = await ProgrammeService.FindAsync(db, programmeId, cancellationToken, tracking: false);
        var applications = await db.Set<Application>().AsNoTracking().Where(a => a.ProgrammeId == programmeId).ToListAsync(cancellationToken);
        var byId = applications.ToDictionary(a => a.Id);
        switch (file)
        {
            case "applications.csv":
                return CsvTable.Write(ApplicationColumns.All, applications.OrderBy(a => a.ExternalId, StringComparer.Ordinal).Select(ApplicationRow));
            case "pairs.csv":
                {
                    var pairs = await db.Set<Pair>().AsNoTracking()
                        .Where(p => p.ProgrammeId == programmeId && p.Status != PairStatus.Declined).ToListAsync(cancellationToken);
                    var matched = pairs.Select(p => p.MenteeId).ToHashSet();
                    var rows = pairs.OrderBy(p => byId[p.MentorId].ExternalId, StringComparer.Ordinal).ThenBy(p => byId[p.MenteeId].ExternalId, StringComparer.Ordinal)
                        .Select(p => (IReadOnlyList<string?>)[byId[p.MentorId].ExternalId, byId[p.MenteeId].ExternalId, Number(p.Score), p.Reasons])
                        .Concat(applications.Where(a => a.Role == ParticipantRole.Mentee && a.ErasedAt is null && !matched.Contains(a.Id))
                            .OrderBy(a => a.ExternalId, StringComparer.Ordinal)
                            .Select(a => (IReadOnlyList<string?>)["", a.ExternalId, "", "not matched"]));
                    return CsvTable.Write(["mentor_id", "mentee_id", "score", "reasons"], rows);
                }

            case "relationships.csv":
                {
                    var pairs = await db.Set<Pair>().AsNoTracking()
                        .Where(p => p.ProgrammeId == programmeId
                            && (p.Status == PairStatus.Active || p.Status == PairStatus.Completed || p.Status == PairStatus.ClosedEarly))
                        .ToListAsync(cancellationToken);
                    var pairIds = pairs.Select(p => p.Id).ToList();
                    var goals = await db.Set<Goal>().AsNoTracking().Where(g => pairIds.Contains(g.PairId)).ToListAsync(cancellationToken);
                    var rows = pairs.OrderBy(p => byId[p.MentorId].ExternalId, StringComparer.Ordinal).ThenBy(p => byId[p.MenteeId].ExternalId, StringComparer.Ordinal)
                        .Select(p =>
                        {
                            var pairGoals = goals.Where(g => g.PairId == p.Id).ToList();
                            string goalMet = pairGoals.Count == 0 ? "" : pairGoals.Any(g => g.Status == GoalStatus.Met) ? "true" : "false";
                            return (IReadOnlyList<string?>)
                            [
                                byId[p.MentorId].ExternalId, byId[p.MenteeId].ExternalId, programme.Name, Date(p.StartDate), Date(p.EndDate),
                            Date(p.EndedOn), Status(p.Status), p.MeetingsHeld.ToString(CultureInfo.InvariantCulture), Date(p.LastMeetingOn),
                            goalMet, p.Satisfaction is { } s ? Number(s) : "",
                            ];
                        });
                    return CsvTable.Write(
                        ["mentor_id", "mentee_id", "programme", "started", "planned_end", "ended", "status", "meetings", "last_meeting", "goal_met", "satisfaction"],
                        rows);
                }

            case "testimonials.csv":
                {
                    var testimonials = await db.Set<Testimonial>().AsNoTracking().Where(t => t.ProgrammeId == programmeId).ToListAsync(cancellationToken);
                    var rows = testimonials.Where(t => byId.ContainsKey(t.ParticipantId))
                        .OrderBy(t => t.Date).ThenBy(t => byId[t.ParticipantId].ExternalId, StringComparer.Ordinal)
                        .Select(t => (IReadOnlyList<string?>)[byId[t.ParticipantId].ExternalId, t.Role.Format(), Date(t.Date), t.Text, t.Consent ? "true" : "false"]);
                    return CsvTable.Write(["participant_id", "role", "date", "text", "consent"], rows);
                }

            case "members.csv":
                {
                    var members = await db.Set<CommunityMember>().AsNoTracking().Where(m => m.ProgrammeId == programmeId).ToListAsync(cancellationToken);
                    return CsvTable.Write(["email", "name", "seniority_years"], members.OrderBy(m => m.Email, StringComparer.Ordinal)
                        .Select(m => (IReadOnlyList<string?>)[m.Email, m.Name, m.SeniorityYears?.ToString(CultureInfo.InvariantCulture)]));
                }

            default:
                {
                    var answers = await db.Set<PollResponse>().AsNoTracking().Where(r => r.ProgrammeId == programmeId).ToListAsync(cancellationToken);
                    return CsvTable.Write(["email", "name", "choice", "topics"], answers.OrderBy(r => r.Email, StringComparer.Ordinal)
                        .Select(r => (IReadOnlyList<string?>)[r.Email, r.Name, r.Choice.ToString().ToLowerInvariant(), string.Join(';', r.Topics)]));
                }
        }
    }

    internal static IReadOnlyList<string?> ApplicationRow(Application a) =>
    [
        a.ExternalId, a.Role.Format(), a.Name, a.Email, a.TimeZone, string.Join(';', a.Interests), a.CareerPath, string.Join(';', a.Goals),
        string.Join(';', a.Expertise), a.SeniorityYears.ToString(CultureInfo.InvariantCulture),
        a.HoursPerMonth?.ToString(CultureInfo.InvariantCulture), a.PreferredLength.Format(), string.Join(';', a.Communication),
        string.Join(';', a.Languages), a.Capacity?.ToString(CultureInfo.InvariantCulture), a.Statement,
    ];

    public static string Status(PairStatus status) => status switch
    {
        PairStatus.Completed => "completed",
        PairStatus.ClosedEarly => "closed-early",
        _ => "active",
    };

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
