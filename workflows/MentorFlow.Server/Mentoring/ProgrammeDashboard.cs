using System.ComponentModel.DataAnnotations;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Mentoring.Automation;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Services;
using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Metrics;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.Options;

namespace MentorFlow.Server.Mentoring;

/// <summary>Settings of the programme dashboard (<c>Dashboard</c> section).</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>
    /// platform.csv (docs/data-formats.md: <c>date, visitors, new_members</c>) of the community platform, for the growth figures;
    /// the service holds no platform analytics, so without it the dashboard says so.
    /// </summary>
    public string? PlatformCsvPath { get; set; }

    /// <summary>A participant is active with a meeting within this many days (the reporting library's window).</summary>
    [Range(1, 366)]
    public int ActiveWindowDays { get; set; } = 30;

    /// <summary>Days before the programme start that platform growth is compared with.</summary>
    [Range(1, 3660)]
    public int BaselineDays { get; set; } = 90;

    /// <summary>At most this many incidents are listed (the counts cover them all).</summary>
    [Range(1, 1000)]
    public int MaxIncidents { get; set; } = 50;
}

public sealed record DashboardProgramme(Guid Id, string Name, ProgrammePhase Phase, string TimeZone, string OrganizerMailbox, int TargetMenteesPerMentor);

/// <summary>The interest poll and the mentor/mentee balance (of the poll and of the applications received).</summary>
public sealed record DashboardPoll(PollResults Results, int RecruitmentCandidates, PollResults Applications);

/// <summary>People at each stage (the reporting library's funnel) and the applications by role.</summary>
public sealed record DashboardFunnel(IReadOnlyList<FunnelStage> Stages, int Applications, int MentorApplications, int MenteeApplications);

public sealed record DashboardMatches(
    string Method, double MinScore, int Proposed, int Approved, int Active, int Completed, int ClosedEarly, int Unmatched,
    IReadOnlyList<ShortageView> Shortage);

public sealed record DashboardPair(
    Guid Id, string MentorId, string MentorName, string MenteeId, string MenteeName, double Score,
    DateOnly? Started, DateOnly? PlannedEnd, int Meetings, DateOnly? LastMeeting);

/// <summary>Platform growth, or why there is none (no platform.csv configured, no relationship started yet).</summary>
public sealed record DashboardPlatform(bool Configured, PlatformGrowth? Growth, string? Note);

/// <summary>The programme metrics, computed by the reporting library over the programme's CSV exports.</summary>
public sealed record DashboardMetrics(
    DateOnly AsOf,
    int ActiveWindowDays,
    DateOnly? ProgrammeStart,
    int ActiveParticipants,
    int ActiveMentors,
    int ActiveMentees,
    int ActiveRelationships,
    int TotalRelationships,
    int NewRelationshipsInWindow,
    OutcomeSummary Outcomes,
    DashboardPlatform Platform,
    IReadOnlyList<string> DataIssues);

public sealed record DashboardQuote(string ParticipantId, string Name, Role Role, DateOnly Date, string Text);

public sealed record DashboardTestimonials(int Received, int Consented, IReadOnlyList<DashboardQuote> Quotes);

/// <summary>
/// A workflow incident of a flow correlated with the programme or one of its pairs, or a reconciliation incident: a pair
/// or a mentee's choice waiting on a flow that is not running (<c>ActivityType</c> <c>Flow check</c>, <c>InstanceId</c>
/// empty when there is no instance).
/// </summary>
public sealed record DashboardIncident(
    string Id, string InstanceId, string DefinitionId, string? WorkflowName, string CorrelationId, string Subject,
    string ActivityId, string ActivityType, string Message, DateTimeOffset Timestamp, DateTimeOffset? ResolvedAt, string InstanceUrl);

public sealed record DashboardIncidents(int Open, int Resolved, int FaultedInstances, IReadOnlyList<DashboardIncident> Items);

public sealed record DashboardLinks(string Flows, string Instances, string Mailbox, string? OrganizerMailbox);

/// <summary><c>GET /api/programmes/{id}/dashboard</c>: everything the programme page shows, in one document.</summary>
public sealed record ProgrammeDashboard(
    DashboardProgramme Programme,
    DashboardPoll Poll,
    DashboardFunnel Funnel,
    DashboardMatches Matches,
    IReadOnlyList<DashboardPair> ActivePairs,
    DashboardMetrics Metrics,
    DashboardTestimonials Testimonials,
    DashboardIncidents Incidents,
    DashboardLinks Links);

/// <summary>
/// Builds the programme dashboard. The metrics are the reporting library's (<see cref="ProgrammeMetrics"/>) over the
/// very files the export API serves (relationships.csv, testimonials.csv, applications.csv, poll.csv, plus the
/// configured platform.csv), so the page and a notebook run on the exports agree. Incidents are the workflow
/// engine's, of instances correlated with the programme id or one of its pair ids.
/// </summary>
public sealed class ProgrammeDashboardService(
    ProgrammeService programmes,
    MatchingService matching,
    ExportService exports,
    IWorkflowRuntime runtime,
    IOptions<DashboardOptions> options,
    TimeProvider clock,
    FlowReconciliation reconciliation,
    IServiceProvider services)
{
    private const int ScanPageSize = 500;

    public async Task<ProgrammeDashboard> BuildAsync(Guid id, DateOnly? asOf, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var programme = await programmes.GetAsync(id, cancellationToken);
        var today = asOf ?? PartnershipService.Today(programme, clock.GetUtcNow());
        var poll = await programmes.PollResultsAsync(id, cancellationToken);
        var candidates = await programmes.RecruitmentCandidatesAsync(id, cancellationToken);
        var balance = await programmes.ApplicationBalanceAsync(id, cancellationToken);
        var review = await matching.ReviewAsync(id, cancellationToken);

        var issues = new List<string>();
        var relationships = Read(await exports.ExportAsync(id, "relationships.csv", cancellationToken), "relationships.csv", RelationshipsCsv.Read, issues);
        var testimonials = Read(await exports.ExportAsync(id, "testimonials.csv", cancellationToken), "testimonials.csv", TestimonialsCsv.Read, issues);
        var applications = Read(await exports.ExportAsync(id, "applications.csv", cancellationToken), "applications.csv", ApplicationsCsv.Read, issues);
        var (platform, platformNote) = ReadPlatform(settings.PlatformCsvPath, issues);
        var data = new ProgrammeData(relationships, platform, testimonials, applications, [])
        {
            PollResponses = poll.Responses, // the rows of poll.csv
        };

        var metricsOptions = new MetricsOptions
        {
            AsOf = today,
            ActiveWindowDays = settings.ActiveWindowDays,
            BaselineDays = settings.BaselineDays,
            PollResponses = data.PollResponses,
        };
        var summary = ProgrammeMetrics.Summarise(data, metricsOptions);
        var funnel = ProgrammeMetrics.Funnel(metricsOptions.PollResponses, data.FunnelApplicants, data.Relationships, today);

        var names = review.Pairs.SelectMany(p => new[] { (p.MentorId, p.MentorName), (p.MenteeId, p.MenteeName) })
            .Concat(applications.Select(a => (a.Id, a.Name)))
            .DistinctBy(n => n.Item1, StringComparer.Ordinal)
            .ToDictionary(n => n.Item1, n => n.Item2, StringComparer.Ordinal);
        var byPair = relationships.ToDictionary(r => (r.MentorId, r.MenteeId));
        var activePairs = review.Pairs.Where(p => p.Status == PairStatus.Active)
            .Select(p =>
            {
                var row = byPair.GetValueOrDefault((p.MentorId, p.MenteeId));
                return new DashboardPair(p.Id, p.MentorId, p.MentorName, p.MenteeId, p.MenteeName, p.Score,
                    p.StartDate, p.EndDate, row?.Meetings ?? 0, row?.LastMeeting);
            })
            .ToList();

        var platformSection = platformNote is not null
            ? new DashboardPlatform(settings.PlatformCsvPath is { Length: > 0 }, null, platformNote)
            : summary.Platform is null
                ? new DashboardPlatform(true, null, "Platform growth is measured from the programme start: no relationship has started yet.")
                : new DashboardPlatform(true, summary.Platform, null);

        var pairIds = review.Pairs.ToDictionary(p => p.Id.ToString(), p => $"{p.MentorName} → {p.MenteeName}", StringComparer.Ordinal);
        var choiceIds = review.Choices.ToDictionary(c => c.Id, c => $"Mentor choice of {c.MenteeName}");
        var incidents = await IncidentsAsync(programme, pairIds, choiceIds, settings.MaxIncidents, cancellationToken);
        var organizer = services.GetService<GraphSandboxHost>()?.Origin is not null
            ? "/graph/sandbox?mailbox=" + Uri.EscapeDataString(programme.OrganizerMailbox)
            : null;

        return new ProgrammeDashboard(
            new DashboardProgramme(programme.Id, programme.Name, programme.Phase, programme.TimeZone, programme.OrganizerMailbox, programme.TargetMenteesPerMentor),
            new DashboardPoll(poll, candidates.Count, balance),
            new DashboardFunnel(funnel, balance.Responses, balance.Mentors, balance.Mentees),
            new DashboardMatches(
                review.Method, review.MinScore,
                review.Pairs.Count(p => p.Status == PairStatus.Proposed),
                review.Pairs.Count(p => p.Status == PairStatus.Approved),
                review.Pairs.Count(p => p.Status == PairStatus.Active),
                review.Pairs.Count(p => p.Status == PairStatus.Completed),
                review.Pairs.Count(p => p.Status == PairStatus.ClosedEarly),
                review.Unmatched.Count,
                review.Shortage),
            activePairs,
            new DashboardMetrics(
                summary.AsOf, summary.ActiveWindowDays, summary.ProgrammeStart, summary.ActiveParticipants, summary.ActiveMentors,
                summary.ActiveMentees, summary.ActiveRelationships, summary.TotalRelationships, summary.NewRelationshipsInWindow,
                summary.Outcomes, platformSection, issues),
            new DashboardTestimonials(summary.Testimonials.Received, summary.Testimonials.Consented,
                [.. summary.Testimonials.Quotes.Select(q => new DashboardQuote(q.ParticipantId, names.GetValueOrDefault(q.ParticipantId, q.ParticipantId), q.Role, q.Date, q.Text))]),
            incidents,
            new DashboardLinks("/studio/workflows/definitions", "/studio/workflows/instances", "/graph/sandbox", organizer));
    }

    /// <summary>
    /// Incidents of the instances correlated with the programme or one of its pairs. Instances with incidents are few,
    /// so they are scanned page by page (newest first) and matched on the correlation id, rather than one query per pair.
    /// </summary>
    private async Task<DashboardIncidents> IncidentsAsync(
        Programme programme, IReadOnlyDictionary<string, string> pairs, IReadOnlyDictionary<Guid, string> choices, int max, CancellationToken cancellationToken)
    {
        var programmeId = programme.Id.ToString();
        var instances = new List<WorkflowInstanceSummary>();
        for (var page = 0; ; page++)
        {
            var result = await runtime.ListInstancesAsync(new InstanceQuery { Page = page, PageSize = ScanPageSize, HasIncidents = true }, cancellationToken);
            instances.AddRange(result.Items.Where(i => i.CorrelationId is { } c && (c == programmeId || pairs.ContainsKey(c))));
            if (result.Items.Count < ScanPageSize)
            {
                break;
            }
        }

        var items = new List<DashboardIncident>();
        foreach (var instance in instances)
        {
            var details = await runtime.GetInstanceAsync(instance.Id, cancellationToken);
            var subject = instance.CorrelationId == programmeId ? $"Programme {programme.Name}" : $"Pair {pairs[instance.CorrelationId!]}";
            items.AddRange((details?.Incidents ?? []).Select(i => new DashboardIncident(
                i.Id, instance.Id, instance.DefinitionId, instance.Name, instance.CorrelationId!, subject, i.ActivityId, i.ActivityType,
                i.Message, i.Timestamp, i.ResolvedAt, $"/studio/workflows/instances/{Uri.EscapeDataString(instance.Id)}/view")));
        }

        // Pairs and mentees' choices waiting on a flow that is not running (the reconciliation sweep's incidents).
        foreach (var flow in await reconciliation.ListAsync(programme.Id, cancellationToken))
        {
            var subject = flow.SubjectKind == FlowReconciliation.ChoiceSubject
                ? choices.GetValueOrDefault(flow.SubjectId, $"Mentor choice {flow.SubjectId:N}")
                : $"Pair {pairs.GetValueOrDefault(flow.SubjectId.ToString(), flow.SubjectId.ToString("N"))}";
            items.Add(new DashboardIncident(
                flow.Id.ToString("N"), flow.InstanceId ?? "", flow.DefinitionId, null, flow.SubjectId.ToString(), subject,
                flow.SubjectKind == FlowReconciliation.ChoiceSubject ? "mentor-choice" : "pair", "Flow check", flow.Message, flow.RaisedAt, flow.ResolvedAt,
                flow.InstanceId is { } instanceId ? $"/studio/workflows/instances/{Uri.EscapeDataString(instanceId)}/view" : "/studio/workflows/definitions"));
        }

        var ordered = items.OrderBy(i => i.ResolvedAt is null ? 0 : 1).ThenByDescending(i => i.Timestamp).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
        return new DashboardIncidents(
            ordered.Count(i => i.ResolvedAt is null),
            ordered.Count(i => i.ResolvedAt is not null),
            instances.Count(i => i.SubStatus == WorkflowSubStatus.Faulted),
            [.. ordered.Take(max)]);
    }

    /// <summary>Rows of one export read by the reporting library's reader; rows it refuses are named as data issues.</summary>
    private static IReadOnlyList<T> Read<T>(string csv, string file, Func<TextReader, string, CsvReadResult<T>> reader, List<string> issues)
    {
        using var text = new StringReader(csv);
        var result = reader(text, file);
        issues.AddRange(result.Errors.Select(e => e.ToString()));
        return result.Rows;
    }

    private static (IReadOnlyList<PlatformDay> Days, string? Note) ReadPlatform(string? path, List<string> issues)
    {
        if (path is not { Length: > 0 })
        {
            return ([], "No platform analytics: set Dashboard:PlatformCsvPath to a platform.csv (date, visitors, new_members).");
        }

        if (!File.Exists(path))
        {
            return ([], $"platform.csv was not found at {path}.");
        }

        var result = PlatformCsv.Read(path);
        issues.AddRange(result.Errors.Select(e => e.ToString()));
        return (result.Rows, null);
    }
}
