namespace MentorFlow.Testing.Server.Graph;

/// <summary>The parts of <see cref="GraphMeasures.RunAsync"/>.</summary>
public enum GraphPart
{
    /// <summary>The dispatcher paced at the mailbox's limit: the rate it achieves, no 429 expected.</summary>
    Paced,

    /// <summary>The dispatcher allowed twice what the mailbox takes: Graph's 429 and Retry-After, nothing lost or sent twice.</summary>
    Throttled,
}

/// <summary>What <see cref="GraphMeasures.RunAsync"/> runs, and at which size: <see cref="Full"/> or <see cref="Smoke"/>.</summary>
public sealed record GraphRunOptions
{
    /// <summary>The full run: 1,000 invites and 250 mails paced, 400 invites and 100 mails over-eager, 100 requests per 2 s.</summary>
    public static GraphRunOptions Full { get; } = new();

    /// <summary>
    /// Seconds: 200 invites and 50 mails paced (5 s at the limit), 160 invites and 40 mails over-eager (twice what one
    /// window takes, so the sandbox must answer 429 and the rest wait for its Retry-After). A part that has not finished
    /// in 2 minutes stops: a dispatcher retrying failures must not hold the suite for the half hour the full run allows.
    /// </summary>
    public static GraphRunOptions Smoke { get; } = new()
    {
        Invites = 200, Mails = 50, ThrottledInvites = 160, ThrottledMails = 40, Timeout = TimeSpan.FromMinutes(2),
    };

    /// <summary>The parts to run, in this order; all by default.</summary>
    public IReadOnlyList<GraphPart> Parts { get; init; } = Enum.GetValues<GraphPart>();

    /// <summary>Invites (one event each, with a transactionId) queued for the paced part.</summary>
    public int Invites { get; init; } = 1_000;

    /// <summary>Mails (each its own subject) queued for the paced part.</summary>
    public int Mails { get; init; } = 250;

    /// <summary>Invites of the throttled part: with its mails, more than <see cref="Limit"/>, so that one window cannot take them.</summary>
    public int ThrottledInvites { get; init; } = 400;

    public int ThrottledMails { get; init; } = 100;

    /// <summary>Requests the sandbox takes per mailbox in any sliding <see cref="Window"/> (Graph's throttling).</summary>
    public int Limit { get; init; } = 100;

    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The dispatcher's <c>RequestsPerWindow</c> in the throttled part, as a multiple of <see cref="Limit"/>.</summary>
    public int OverEagerFactor { get; init; } = 2;

    /// <summary>A part that has not sent everything by then stops and reports what is pending.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);
}

/// <summary>
/// One part's figures: what was queued, what the sandbox holds afterwards, the outbox's end state and the sandbox's
/// counters. The speed (<see cref="AchievedPerSecond"/> against <see cref="AllowedPerSecond"/>) is the benchmark's to
/// judge; the rest are outcomes (<see cref="GraphRunResult.Failures"/>).
/// </summary>
public sealed record GraphPartFigures(
    GraphPart Part,
    int Invites,
    int Mails,
    int SandboxLimit,
    int DispatcherLimit,
    TimeSpan Window,
    TimeSpan Elapsed,
    int Events,
    int DistinctEventTransactions,
    int Messages,
    int DistinctMessageSubjects,
    int OutboxSent,
    int OutboxPending,
    int OutboxFailed,
    int MaxAttempts,
    long Throttled,
    long DuplicateTransactions,
    long Batches,
    int PeakConcurrency)
{
    public int Queued => Invites + Mails;

    public double AllowedPerSecond => SandboxLimit / Window.TotalSeconds;

    public double AchievedPerSecond => Queued / Elapsed.TotalSeconds;

    /// <summary>Events in the sandbox beyond one per transactionId (the same invite created twice).</summary>
    public int DuplicateEvents => Events - DistinctEventTransactions;

    /// <summary>Mails in the sandbox beyond one per subject (the same mail sent twice).</summary>
    public int DuplicateMessages => Messages - DistinctMessageSubjects;

    /// <summary>The wrong outcomes of this part, in words; empty when every item was delivered exactly once as it should.</summary>
    public IEnumerable<string> Failures()
    {
        var name = Part.ToString().ToLowerInvariant();
        if (DistinctEventTransactions != Invites)
        {
            yield return $"{name}: {DistinctEventTransactions} of {Invites} invites reached the sandbox";
        }

        if (DistinctMessageSubjects != Mails)
        {
            yield return $"{name}: {DistinctMessageSubjects} of {Mails} mails reached the sandbox";
        }

        if (DuplicateEvents > 0 || DuplicateMessages > 0 || DuplicateTransactions > 0)
        {
            yield return $"{name}: sent twice: {DuplicateEvents} events, {DuplicateMessages} mails, {DuplicateTransactions} repeated transactionIds";
        }

        if (OutboxSent != Queued)
        {
            yield return $"{name}: outbox {OutboxSent} sent, {OutboxPending} pending, {OutboxFailed} failed of {Queued}";
        }

        if (MaxAttempts > 1)
        {
            yield return $"{name}: a message took {MaxAttempts} attempts (a 429 is not an attempt, and nothing else failed)";
        }

        if (PeakConcurrency > 4)
        {
            yield return $"{name}: {PeakConcurrency} requests at once to one mailbox (Graph allows 4)";
        }

        if (Part == GraphPart.Paced && Throttled > 0)
        {
            yield return $"{name}: {Throttled} answers 429 although the dispatcher is paced at the mailbox's limit";
        }

        if (Part == GraphPart.Throttled && Throttled == 0)
        {
            yield return $"{name}: the sandbox never answered 429, so Retry-After was not exercised";
        }
    }
}

/// <summary>The parts run, in order.</summary>
public sealed record GraphRunResult(IReadOnlyList<GraphPartFigures> Parts)
{
    public IReadOnlyList<string> Failures => Parts.SelectMany(p => p.Failures()).ToList();
}
