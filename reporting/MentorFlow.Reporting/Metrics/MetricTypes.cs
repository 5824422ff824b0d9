namespace MentorFlow.Reporting.Metrics;

/// <summary>How a time series is bucketed: ISO weeks (Monday first) or calendar months.</summary>
public enum Granularity
{
    Weekly,
    Monthly,
}

/// <summary>Active participants at the end of one period (a meeting in the active window before that day).</summary>
public sealed record ParticipationPoint(DateOnly Period, DateOnly AsOf, int ActiveMentors, int ActiveMentees)
{
    public int Total => ActiveMentors + ActiveMentees;
}

/// <summary>Relationships in one period: running at its end, started, completed and closed early during it.</summary>
public sealed record RelationshipPoint(DateOnly Period, int Active, int Started, int Completed, int ClosedEarly);

/// <summary>Outcomes of the relationships that ended in one period (rates are null when none ended).</summary>
public sealed record OutcomePoint(DateOnly Period, int Ended, double? CompletionRate, double? EarlyClosureRate, double? GoalAttainment, double? Satisfaction);

/// <summary>Platform analytics summed over one period, and the number of days with data in it.</summary>
public sealed record PlatformPoint(DateOnly Period, int Visitors, int NewMembers, int Days)
{
    /// <summary>Visitors per day with data (so a partial period compares fairly); null without data.</summary>
    public double? VisitorsPerDay => Days > 0 ? (double)Visitors / Days : null;

    public double? NewMembersPerDay => Days > 0 ? (double)NewMembers / Days : null;
}

/// <summary>Testimonials received in one period, and how many may be published.</summary>
public sealed record TestimonialPoint(DateOnly Period, int Received, int Consented);

/// <summary>One stage of the programme funnel (poll → applied → matched → completed).</summary>
public sealed record FunnelStage(string Label, int Count);

/// <summary>Predicted success against observed success for pairs whose score fell in one bin.</summary>
public sealed record CalibrationBin(double Lower, double Upper, double MeanPredicted, double ObservedRate, int Count);
