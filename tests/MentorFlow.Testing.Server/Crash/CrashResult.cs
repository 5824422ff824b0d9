using System.Globalization;
using System.Text;
using MentorFlow.Graph.Outbox;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Testing.Server.Crash;

/// <summary>
/// What a crash run left behind, read from the database and the sandbox once the scenario completed and everything
/// settled. <b>Lost</b>: an expected mail a participant never got, a pair without its check-in series, a timer due
/// but never fired. <b>Duplicated</b>: a mail a participant got more often than expected (or twice with the same
/// subject and body), a pair with more than one series. <b>Stuck</b>: a workflow instance Running with nothing to wake
/// it (no bookmark, no queued command), a Faulted instance or an open incident, an outbox row not sent.
/// </summary>
public sealed record CrashResult
{
    public required string Run { get; init; }
    public int Kills { get; init; }
    public int Restarts { get; init; }
    public int RetriedRequests { get; init; }
    public required int Pairs { get; init; }
    public required int Mails { get; init; }
    public required int SeriesMasters { get; init; }
    public required int Lost { get; init; }
    public required int Duplicated { get; init; }
    public required int Stuck { get; init; }
    public required TimeSpan Time { get; init; }

    /// <summary>Each lost, duplicated or stuck item and each problem of the scenario, described.</summary>
    public required IReadOnlyList<string> Details { get; init; }

    /// <summary>The run's folder (children's logs, database) when it failed; deleted otherwise.</summary>
    public string? Folder { get; init; }

    public Exception? Failure { get; init; }

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Failure is not null)
        {
            problems.Add("the scenario did not complete: " + Failure.Message);
        }

        if (Lost + Duplicated + Stuck > 0)
        {
            problems.Add($"{Lost} lost, {Duplicated} duplicated, {Stuck} stuck");
        }

        problems.AddRange(Details);
        return problems;
    }

    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine("| run | kills | restarts | retried requests | pairs | mails | series | lost | duplicated | stuck | time |");
        text.AppendLine("|-----|-------|----------|------------------|-------|-------|--------|------|------------|-------|------|");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {Run} | {Kills} | {Restarts} | {RetriedRequests} | {Pairs} | {Mails} | {SeriesMasters} | {Lost} | {Duplicated} | {Stuck} | {Time.TotalSeconds:0} s |");
        return text.ToString();
    }

    internal static async Task<CrashResult> CollectAsync(CrashHarness harness, CrashScenario scenario, Exception? failure, TimeSpan time, CancellationToken cancellationToken)
    {
        var details = new List<string>(scenario.Problems);
        int lost = 0, duplicated = 0, stuck = 0;
        var now = harness.Now.ToUnixTimeMilliseconds();
        await using var db = harness.CreateDbContext();
        var emails = await db.Set<Application>().AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Email.ToLowerInvariant(), cancellationToken);
        var pairs = (await db.Set<Pair>().AsNoTracking().Where(p => p.Status != PairStatus.Proposed).ToListAsync(cancellationToken))
            .Select(p => (Mentor: emails[p.MentorId], Mentee: emails[p.MenteeId])).ToList();

        // Every pair exactly one check-in series.
        var masters = (await harness.Sandbox.Store.EventsAsync(mailbox: CrashScenario.Organizer, cancellationToken: cancellationToken)).Where(e => e.Type == "seriesMaster" && !e.IsCancelled)
            .GroupBy(e => Key(e.Attendees.Select(a => a.Address))).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var (mentor, mentee) in pairs)
        {
            var count = masters.GetValueOrDefault(Key([mentor, mentee]));
            if (count != 1)
            {
                details.Add($"pair {mentor} / {mentee} has {count} check-in series");
                lost += count == 0 ? 1 : 0;
                duplicated += Math.Max(0, count - 1);
            }
        }

        // Every participant each mail exactly once.
        var mails = await harness.Sandbox.Store.MessagesAsync(cancellationToken: cancellationToken);
        foreach (var repeat in mails.GroupBy(m => (To: string.Join(",", m.To.Select(t => t.Address.ToLowerInvariant())), m.Subject, m.BodyContent)).Where(g => g.Count() > 1))
        {
            details.Add($"mail to {repeat.Key.To} '{repeat.Key.Subject}' sent {repeat.Count()} times");
        }

        var expectedPairs = pairs.Count == 0 ? scenario.MenteeCount : pairs.Count;
        if (pairs.Count != scenario.MenteeCount)
        {
            details.Add($"{pairs.Count} pairs approved, {scenario.MenteeCount} expected");
            lost += Math.Abs(scenario.MenteeCount - pairs.Count);
        }

        foreach (var email in scenario.Everyone)
        {
            var mentor = email.StartsWith("mentor", StringComparison.Ordinal);
            var pairsOf = mentor ? pairs.Count(p => p.Mentor == email) : 1;
            var expected = CrashScenario.ExpectedKinds(mentor, pairsOf);
            var got = mails.Where(m => m.To.Any(t => string.Equals(t.Address, email, StringComparison.OrdinalIgnoreCase)))
                .GroupBy(m => CrashScenario.Kind(m.Subject)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            foreach (var kind in expected.Keys.Union(got.Keys))
            {
                var want = expected.GetValueOrDefault(kind);
                var have = got.GetValueOrDefault(kind);
                if (want != have)
                {
                    details.Add($"{email}: {have} '{kind}' mails, {want} expected");
                    lost += Math.Max(0, want - have);
                    duplicated += Math.Max(0, have - want);
                }
            }
        }

        // No instance stuck, no timer lost, the outbox drained.
        var waiting = await db.Set<WorkflowBookmarkRecord>().AsNoTracking().Select(b => b.InstanceId).Distinct().ToListAsync(cancellationToken);
        var queued = await db.Set<WorkflowInboxRecord>().AsNoTracking().Select(b => b.InstanceId).Distinct().ToListAsync(cancellationToken);
        var instances = await db.Set<WorkflowInstanceRecord>().AsNoTracking()
            .Select(i => new { i.Id, i.DefinitionId, i.Status, i.SubStatus, i.HasPendingWork, i.IncidentCount }).ToListAsync(cancellationToken);
        foreach (var instance in instances)
        {
            var running = instance.Status == "Running";
            if (running && !waiting.Contains(instance.Id) && !queued.Contains(instance.Id))
            {
                details.Add($"instance {instance.Id} ({instance.DefinitionId}) is Running/{instance.SubStatus} with nothing to wake it (pending work: {instance.HasPendingWork})");
                stuck++;
            }
            else if (instance.Status == "Faulted" || instance.SubStatus == "Faulted" || instance.IncidentCount > 0)
            {
                details.Add($"instance {instance.Id} ({instance.DefinitionId}) is {instance.Status}/{instance.SubStatus} with {instance.IncidentCount} incident(s)");
                stuck++;
            }
        }

        var incidents = await db.Set<WorkflowIncidentRecord>().AsNoTracking().Where(i => i.ResolvedAt == null)
            .Select(i => new { i.InstanceId, i.ActivityType, i.Message }).ToListAsync(cancellationToken);
        details.AddRange(incidents.Select(i => $"incident on {i.InstanceId} ({i.ActivityType}): {i.Message}"));

        var overdue = await db.Set<WorkflowBookmarkRecord>().AsNoTracking().Where(b => b.DueAt != null && b.DueAt <= now)
            .Select(b => new { b.InstanceId, b.Name, b.DueAt }).ToListAsync(cancellationToken);
        foreach (var timer in overdue)
        {
            details.Add($"timer {timer.Name} of {timer.InstanceId} due {DateTimeOffset.FromUnixTimeMilliseconds(timer.DueAt!.Value):u} never fired");
            lost++;
        }

        var unsent = await db.Set<GraphOutboxMessage>().AsNoTracking().Where(m => m.Status == GraphMessageStatus.Pending || m.Status == GraphMessageStatus.Failed)
            .Select(m => new { m.IdempotencyKey, m.Status, m.LastErrorMessage }).ToListAsync(cancellationToken);
        foreach (var message in unsent)
        {
            details.Add($"outbox row {message.IdempotencyKey} is {message.Status} ({message.LastErrorMessage})");
            stuck++;
        }

        return new CrashResult
        {
            Run = harness.Describe(),
            Pairs = pairs.Count,
            Mails = mails.Count,
            SeriesMasters = masters.Values.Sum(),
            Lost = lost,
            Duplicated = duplicated,
            Stuck = stuck,
            Time = time,
            Details = details,
            Failure = failure,
        };
    }

    private static string Key(IEnumerable<string> addresses) =>
        string.Join("|", addresses.Select(a => a.ToLowerInvariant()).Order(StringComparer.Ordinal));
}
