using System.Globalization;
using MentorFlow.Reporting.Data;

namespace MentorFlow.Reporting.Metrics;

/// <summary>What the metrics are computed for.</summary>
public sealed record MetricsOptions
{
    /// <summary>The reporting date: "now" for the report. Nothing after it is counted.</summary>
    public required DateOnly AsOf { get; init; }

    /// <summary>A participant is active with a meeting or check-in within this many days up to the date.</summary>
    public int ActiveWindowDays { get; init; } = 30;

    public Granularity Granularity { get; init; } = Granularity.Monthly;

    /// <summary>When the programme started; default: the first relationship's start date.</summary>
    public DateOnly? ProgrammeStart { get; init; }

    /// <summary>Length of the baseline period just before the programme start that platform growth is compared with.</summary>
    public int BaselineDays { get; init; } = 90;

    /// <summary>Answers to the interest poll (the funnel's first stage), when known.</summary>
    public int? PollResponses { get; init; }

    public void Validate()
    {
        if (ActiveWindowDays < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ActiveWindowDays), ActiveWindowDays, "ActiveWindowDays must be at least 1");
        }

        if (BaselineDays < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BaselineDays), BaselineDays, "BaselineDays must be at least 1");
        }

        if (PollResponses < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PollResponses), PollResponses, "PollResponses cannot be negative");
        }
    }
}

/// <summary>Ended relationships and how they went (rates are null when nothing has ended yet).</summary>
public sealed record OutcomeSummary(int Ended, int Completed, int ClosedEarly, double? CompletionRate, double? EarlyClosureRate, int GoalsReported, double? GoalAttainment, int SatisfactionResponses, double? Satisfaction);

/// <summary>
/// Platform visitors and new members during the programme against the baseline period just before it (per-day
/// averages over the days with data, because the two periods differ in length).
/// </summary>
public sealed record PlatformGrowth(
    DateOnly BaselineFrom,
    DateOnly BaselineTo,
    DateOnly ProgrammeFrom,
    DateOnly ProgrammeTo,
    int BaselineDaysWithData,
    int ProgrammeDaysWithData,
    double? BaselineVisitorsPerDay,
    double? ProgrammeVisitorsPerDay,
    double? BaselineNewMembersPerDay,
    double? ProgrammeNewMembersPerDay,
    int TotalNewMembers,
    int TotalVisitors)
{
    /// <summary>Relative change in visitors per day (0.25 = +25%); null without a baseline.</summary>
    public double? VisitorChange => Change(BaselineVisitorsPerDay, ProgrammeVisitorsPerDay);

    /// <summary>Relative change in new members per day; null without a baseline.</summary>
    public double? NewMemberChange => Change(BaselineNewMembersPerDay, ProgrammeNewMembersPerDay);

    public string BaselineDescription =>
        string.Create(CultureInfo.InvariantCulture, $"{BaselineFrom:yyyy-MM-dd} to {BaselineTo:yyyy-MM-dd} ({BaselineTo.DayNumber - BaselineFrom.DayNumber + 1} days before the programme start, {BaselineDaysWithData} with data)");

    private static double? Change(double? before, double? after) =>
        before is > 0 && after is { } a ? (a - before.Value) / before.Value : null;
}

/// <summary>A published testimonial (consent given).</summary>
public sealed record Quote(string ParticipantId, Role Role, DateOnly Date, string Text);

/// <summary>Testimonials received up to the date; only consented ones are quoted.</summary>
public sealed record TestimonialSummary(int Received, int Consented, IReadOnlyList<Quote> Quotes);

/// <summary>The key figures of a programme at a date (what the leadership summary shows).</summary>
public sealed record ProgrammeSummary(
    DateOnly AsOf,
    int ActiveWindowDays,
    DateOnly? ProgrammeStart,
    int ActiveMentors,
    int ActiveMentees,
    int ActiveRelationships,
    int TotalRelationships,
    int NewRelationshipsInWindow,
    OutcomeSummary Outcomes,
    PlatformGrowth? Platform,
    TestimonialSummary Testimonials)
{
    public int ActiveParticipants => ActiveMentors + ActiveMentees;
}

/// <summary>
/// The programme metrics over relationships.csv, platform.csv and testimonials.csv.
/// <para>
/// Definitions. A relationship is <b>running</b> on day d when it started on or before d and has not ended by d.
/// A participant is <b>active</b> on day d with a meeting or check-in in the N days up to d: relationships.csv keeps
/// only each pair's last meeting, so a pair counts when it started by d, did not end before the window and its last
/// meeting falls on or after the window's first day (at the reporting date this is exactly "met in the last N
/// days"). Completion, early closure, goal attainment and satisfaction are over relationships that ended (by their
/// end date). Nothing after the reporting date is counted.
/// </para>
/// </summary>
public static class ProgrammeMetrics
{
    /// <summary>The research figure the early-closure rate is compared with: about 38% of relationships end early.</summary>
    public const double ResearchEarlyClosureRate = 0.38;

    /// <summary>The first day of the period holding <paramref name="day"/> (Monday of its ISO week, or the 1st of its month).</summary>
    public static DateOnly PeriodStart(DateOnly day, Granularity granularity) => granularity switch
    {
        Granularity.Weekly => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        _ => new DateOnly(day.Year, day.Month, 1),
    };

    /// <summary>The last day of the period starting at <paramref name="start"/>.</summary>
    public static DateOnly PeriodEnd(DateOnly start, Granularity granularity) =>
        granularity == Granularity.Weekly ? start.AddDays(6) : start.AddMonths(1).AddDays(-1);

    /// <summary>Every period from the one holding <paramref name="from"/> to the one holding <paramref name="to"/>, gaps included.</summary>
    public static IReadOnlyList<DateOnly> Periods(DateOnly from, DateOnly to, Granularity granularity)
    {
        var periods = new List<DateOnly>();
        for (var p = PeriodStart(from, granularity); p <= to; p = PeriodEnd(p, granularity).AddDays(1))
        {
            periods.Add(p);
        }

        return periods;
    }

    public static bool IsRunning(Relationship r, DateOnly day) => r.Started <= day && (EndDate(r) is not { } end || end > day);

    public static bool IsActive(Relationship r, DateOnly day, int windowDays)
    {
        var windowStart = day.AddDays(-(windowDays - 1));
        return r.Started <= day
            && r.Meetings > 0
            && r.LastMeeting is { } last && last >= windowStart
            && (EndDate(r) is not { } end || end >= windowStart);
    }

    /// <summary>Distinct mentors and mentees with a meeting in the window up to <paramref name="day"/>.</summary>
    public static (int Mentors, int Mentees) ActiveParticipants(IEnumerable<Relationship> relationships, DateOnly day, int windowDays)
    {
        var active = relationships.Where(r => IsActive(r, day, windowDays)).ToList();
        return (active.Select(r => r.MentorId).Distinct(StringComparer.Ordinal).Count(),
                active.Select(r => r.MenteeId).Distinct(StringComparer.Ordinal).Count());
    }

    public static int ActiveRelationships(IEnumerable<Relationship> relationships, DateOnly day) =>
        relationships.Count(r => IsRunning(r, day));

    /// <summary>Active participants at the end of each period (or at the reporting date for the current period).</summary>
    public static IReadOnlyList<ParticipationPoint> ParticipationOverTime(IReadOnlyList<Relationship> relationships, DateOnly from, MetricsOptions options)
    {
        options.Validate();
        return [.. Periods(from, options.AsOf, options.Granularity).Select(p =>
        {
            var at = Min(PeriodEnd(p, options.Granularity), options.AsOf);
            var (mentors, mentees) = ActiveParticipants(relationships, at, options.ActiveWindowDays);
            return new ParticipationPoint(p, at, mentors, mentees);
        })];
    }

    /// <summary>Running relationships at each period's end, and those started, completed and closed early in it.</summary>
    public static IReadOnlyList<RelationshipPoint> RelationshipsOverTime(IReadOnlyList<Relationship> relationships, DateOnly from, DateOnly asOf, Granularity granularity) =>
        [.. Periods(from, asOf, granularity).Select(p =>
        {
            var end = Min(PeriodEnd(p, granularity), asOf);
            bool In(DateOnly? d) => d is { } x && x >= p && x <= end;
            return new RelationshipPoint(
                p,
                ActiveRelationships(relationships, end),
                relationships.Count(r => In(r.Started)),
                relationships.Count(r => r.Status == RelationshipStatus.Completed && In(EndDate(r))),
                relationships.Count(r => r.Status == RelationshipStatus.ClosedEarly && In(EndDate(r))));
        })];

    /// <summary>Outcomes of the relationships that ended within [from, to].</summary>
    public static OutcomeSummary Outcomes(IEnumerable<Relationship> relationships, DateOnly from, DateOnly to)
    {
        var ended = relationships
            .Where(r => r.Status != RelationshipStatus.Active && EndDate(r) is { } e && e >= from && e <= to)
            .ToList();
        var completed = ended.Count(r => r.Status == RelationshipStatus.Completed);
        var closedEarly = ended.Count - completed;
        var goals = ended.Where(r => r.GoalMet is not null).ToList();
        var satisfaction = ended.Where(r => r.Satisfaction is not null).Select(r => r.Satisfaction!.Value).ToList();
        return new OutcomeSummary(
            ended.Count,
            completed,
            closedEarly,
            Rate(completed, ended.Count),
            Rate(closedEarly, ended.Count),
            goals.Count,
            Rate(goals.Count(r => r.GoalMet == true), goals.Count),
            satisfaction.Count,
            satisfaction.Count > 0 ? satisfaction.Average() : null);
    }

    public static IReadOnlyList<OutcomePoint> OutcomesOverTime(IReadOnlyList<Relationship> relationships, DateOnly from, DateOnly asOf, Granularity granularity) =>
        [.. Periods(from, asOf, granularity).Select(p =>
        {
            var o = Outcomes(relationships, p, Min(PeriodEnd(p, granularity), asOf));
            return new OutcomePoint(p, o.Ended, o.CompletionRate, o.EarlyClosureRate, o.GoalAttainment, o.Satisfaction);
        })];

    /// <summary>Visitors and new members summed per period.</summary>
    public static IReadOnlyList<PlatformPoint> PlatformOverTime(IReadOnlyList<PlatformDay> days, DateOnly from, DateOnly asOf, Granularity granularity) =>
        [.. Periods(from, asOf, granularity).Select(p =>
        {
            var end = Min(PeriodEnd(p, granularity), asOf);
            var inPeriod = days.Where(d => d.Date >= p && d.Date <= end).ToList();
            return new PlatformPoint(p, inPeriod.Sum(d => d.Visitors), inPeriod.Sum(d => d.NewMembers), inPeriod.Count);
        })];

    /// <summary>Visitors and new members since <paramref name="programmeStart"/> against the <paramref name="baselineDays"/> before it.</summary>
    public static PlatformGrowth PlatformGrowth(IReadOnlyList<PlatformDay> days, DateOnly programmeStart, DateOnly asOf, int baselineDays)
    {
        var baselineFrom = programmeStart.AddDays(-baselineDays);
        var baselineTo = programmeStart.AddDays(-1);
        var before = days.Where(d => d.Date >= baselineFrom && d.Date <= baselineTo).ToList();
        var during = days.Where(d => d.Date >= programmeStart && d.Date <= asOf).ToList();
        return new PlatformGrowth(
            baselineFrom,
            baselineTo,
            programmeStart,
            asOf,
            before.Count,
            during.Count,
            before.Count > 0 ? before.Average(d => d.Visitors) : null,
            during.Count > 0 ? during.Average(d => d.Visitors) : null,
            before.Count > 0 ? before.Average(d => d.NewMembers) : null,
            during.Count > 0 ? during.Average(d => d.NewMembers) : null,
            during.Sum(d => d.NewMembers),
            during.Sum(d => d.Visitors));
    }

    /// <summary>Testimonials dated up to <paramref name="asOf"/>; consented ones quoted, newest first.</summary>
    public static TestimonialSummary Testimonials(IEnumerable<Testimonial> testimonials, DateOnly asOf)
    {
        var received = testimonials.Where(t => t.Date <= asOf).ToList();
        var quotes = received
            .Where(t => t.Consent && !string.IsNullOrWhiteSpace(t.Text))
            .OrderByDescending(t => t.Date)
            .ThenBy(t => t.ParticipantId, StringComparer.Ordinal)
            .Select(t => new Quote(t.ParticipantId, t.Role, t.Date, t.Text.Trim()))
            .ToList();
        return new TestimonialSummary(received.Count, received.Count(t => t.Consent), quotes);
    }

    public static IReadOnlyList<TestimonialPoint> TestimonialsOverTime(IReadOnlyList<Testimonial> testimonials, DateOnly from, DateOnly asOf, Granularity granularity) =>
        [.. Periods(from, asOf, granularity).Select(p =>
        {
            var end = Min(PeriodEnd(p, granularity), asOf);
            var inPeriod = testimonials.Where(t => t.Date >= p && t.Date <= end).ToList();
            return new TestimonialPoint(p, inPeriod.Count, inPeriod.Count(t => t.Consent));
        })];

    /// <summary>
    /// People at each stage: answered the poll (when known), applied (applications.csv rows), matched (distinct people
    /// in a relationship started by the date) and completed (distinct people in a completed relationship).
    /// </summary>
    public static IReadOnlyList<FunnelStage> Funnel(int? pollResponses, IReadOnlyList<Application> applications, IReadOnlyList<Relationship> relationships, DateOnly asOf)
    {
        var started = relationships.Where(r => r.Started <= asOf).ToList();
        var completed = started.Where(r => r.Status == RelationshipStatus.Completed && EndDate(r) is { } e && e <= asOf).ToList();
        static int People(IEnumerable<Relationship> rs) =>
            rs.Select(r => "mentor:" + r.MentorId).Concat(rs.Select(r => "mentee:" + r.MenteeId)).Distinct(StringComparer.Ordinal).Count();
        var stages = new List<FunnelStage>();
        if (pollResponses is { } poll)
        {
            stages.Add(new FunnelStage("Answered the poll", poll));
        }

        stages.Add(new FunnelStage("Applied", applications.Count));
        stages.Add(new FunnelStage("Matched", People(started)));
        stages.Add(new FunnelStage("Completed", People(completed)));
        return stages;
    }

    /// <summary>The key figures at the reporting date.</summary>
    public static ProgrammeSummary Summarise(ProgrammeData data, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var asOf = options.AsOf;
        var relationships = data.Relationships;
        var start = ProgrammeStartOf(data, options);
        var (mentors, mentees) = ActiveParticipants(relationships, asOf, options.ActiveWindowDays);
        var windowStart = asOf.AddDays(-(options.ActiveWindowDays - 1));
        return new ProgrammeSummary(
            asOf,
            options.ActiveWindowDays,
            start,
            mentors,
            mentees,
            ActiveRelationships(relationships, asOf),
            relationships.Count(r => r.Started <= asOf),
            relationships.Count(r => r.Started >= windowStart && r.Started <= asOf),
            Outcomes(relationships, DateOnly.MinValue, asOf),
            start is { } s ? PlatformGrowth(data.Platform, s, asOf, options.BaselineDays) : null,
            Testimonials(data.Testimonials, asOf));
    }

    /// <summary>The programme start: the option, else the first relationship's start, else null (no history).</summary>
    public static DateOnly? ProgrammeStartOf(ProgrammeData data, MetricsOptions options) =>
        options.ProgrammeStart ?? (data.Relationships.Count > 0 ? data.Relationships.Min(r => r.Started) : null);

    /// <summary>When the relationship ended: its end date, or for a closed one without it, its planned end.</summary>
    public static DateOnly? EndDate(Relationship r) =>
        r.Ended ?? (r.Status == RelationshipStatus.Active ? null : r.PlannedEnd);

    private static double? Rate(int part, int whole) => whole > 0 ? (double)part / whole : null;

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
