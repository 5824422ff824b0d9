using System.Globalization;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Persistence;
using Microsoft.EntityFrameworkCore;
using Contract = MentorFlow.Reporting.Data;

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
        string Id(Guid applicationId) => byId[applicationId].ExternalId;
        switch (file)
        {
            case "applications.csv":
                return ContractRecords.Write(writer => Contract.ApplicationsCsv.Write(writer,
                    applications.OrderBy(a => a.ExternalId, StringComparer.Ordinal).Select(ContractRecords.Application)));
            case "pairs.csv":
                {
                    var pairs = await db.Set<Pair>().AsNoTracking()
                        .Where(p => p.ProgrammeId == programmeId && p.Status != PairStatus.Declined).ToListAsync(cancellationToken);
                    var matched = pairs.Select(p => p.MenteeId).ToHashSet();
                    var rows = pairs.OrderBy(p => Id(p.MentorId), StringComparer.Ordinal).ThenBy(p => Id(p.MenteeId), StringComparer.Ordinal)
                        .Select(p => ContractRecords.Pair(p, Id(p.MentorId), Id(p.MenteeId)))
                        .Concat(applications.Where(a => a.Role == ParticipantRole.Mentee && a.ErasedAt is null && !matched.Contains(a.Id))
                            .OrderBy(a => a.ExternalId, StringComparer.Ordinal)
                            .Select(a => ContractRecords.Unmatched(a.ExternalId)));
                    return ContractRecords.Write(writer => Contract.PairsCsv.Write(writer, rows));
                }

            case "relationships.csv":
                {
                    var pairs = await db.Set<Pair>().AsNoTracking()
                        .Where(p => p.ProgrammeId == programmeId
                            && (p.Status == PairStatus.Active || p.Status == PairStatus.Completed || p.Status == PairStatus.ClosedEarly))
                        .ToListAsync(cancellationToken);
                    var pairIds = pairs.Select(p => p.Id).ToList();
                    var goals = await db.Set<Goal>().AsNoTracking().Where(g => pairIds.Contains(g.PairId)).ToListAsync(cancellationToken);
                    var rows = pairs.OrderBy(p => Id(p.MentorId), StringComparer.Ordinal).ThenBy(p => Id(p.MenteeId), StringComparer.Ordinal)
                        .Select(p => ContractRecords.Relationship(p, Id(p.MentorId), Id(p.MenteeId), programme.Name, goals.Where(g => g.PairId == p.Id).ToList()));
                    return ContractRecords.Write(writer => Contract.RelationshipsCsv.Write(writer, rows));
                }

            case "testimonials.csv":
                {
                    var testimonials = await db.Set<Testimonial>().AsNoTracking().Where(t => t.ProgrammeId == programmeId).ToListAsync(cancellationToken);
                    var rows = testimonials.Where(t => byId.ContainsKey(t.ParticipantId))
                        .OrderBy(t => t.Date).ThenBy(t => Id(t.ParticipantId), StringComparer.Ordinal)
                        .Select(t => ContractRecords.Testimonial(t, Id(t.ParticipantId)));
                    return ContractRecords.Write(writer => Contract.TestimonialsCsv.Write(writer, rows));
                }

            case "members.csv":
                {
                    var members = await db.Set<CommunityMember>().AsNoTracking().Where(m => m.ProgrammeId == programmeId).ToListAsync(cancellationToken);
                    return ContractRecords.Write(writer => Contract.CsvTable.Write(writer, [.. ContractRecords.Members.All],
                        members.OrderBy(m => m.Email, StringComparer.Ordinal),
                        m => [m.Email, m.Name, m.SeniorityYears?.ToString(CultureInfo.InvariantCulture)]));
                }

            default:
                {
                    var answers = await db.Set<PollResponse>().AsNoTracking().Where(r => r.ProgrammeId == programmeId).ToListAsync(cancellationToken);
                    return ContractRecords.Write(writer => Contract.CsvTable.Write(writer, [.. ContractRecords.Poll.All],
                        answers.OrderBy(r => r.Email, StringComparer.Ordinal),
                        r => [r.Email, r.Name, r.Choice.ToString().ToLowerInvariant(), string.Join(';', r.Topics)]));
                }
        }
    }
}
