using System.Text.Json.Serialization;

namespace MentorFlow.Mentoring.Domain;

/// <summary>Where a programme stands in its lifecycle.</summary>
public enum ProgrammePhase
{
    Draft,
    Poll,
    Applications,
    Matching,
    Running,
    Closed,
}

/// <summary>The role a person applies for.</summary>
public enum ParticipantRole
{
    Mentor,
    Mentee,
}

/// <summary>The answer to the interest poll's main question.</summary>
public enum PollChoice
{
    Mentor,
    Mentee,
    Both,
}

/// <summary>How often a pair meets.</summary>
public enum MeetingFrequency
{
    [JsonStringEnumMemberName("weekly")]
    Weekly,

    [JsonStringEnumMemberName("every-2-weeks")]
    EveryTwoWeeks,

    [JsonStringEnumMemberName("monthly")]
    Monthly,
}

/// <summary>The life of a matched pair.</summary>
public enum PairStatus
{
    /// <summary>Proposed by the matcher, not yet approved by the manager.</summary>
    Proposed,

    /// <summary>Approved by the manager, waiting for both sides to confirm.</summary>
    Approved,

    /// <summary>Both confirmed; the partnership runs.</summary>
    Active,

    /// <summary>One side declined; both return to the pool.</summary>
    Declined,

    /// <summary>Reached its planned end.</summary>
    Completed,

    /// <summary>Closed before its planned end.</summary>
    ClosedEarly,
}

/// <summary>The state of a pair's common goal.</summary>
public enum GoalStatus
{
    Open,
    Met,
    Replaced,
}

/// <summary>Surveys participants answer by link.</summary>
public enum SurveyKind
{
    CheckIn,
    MidPoint,
    Closing,
}

/// <summary>A manager's constraint on the matcher.</summary>
public enum MatchConstraintKind
{
    Pin,
    Forbid,
}

/// <summary>What a signed participant link lets its holder do (one purpose per link).</summary>
public enum LinkPurpose
{
    Poll,
    Apply,
    ConfirmMatch,
    Policy,
    Goal,
    GoalMet,
    KickOffScheduled,
    CheckInSurvey,
    MidPointSurvey,
    ClosingSurvey,
    Testimonial,
    ChooseMentor,
}

/// <summary>Where a mentee's choice among their top mentor candidates stands.</summary>
public enum MentorChoiceStatus
{
    /// <summary>Offered; the mentee has not chosen yet.</summary>
    Open,

    /// <summary>The mentee chose a mentor (the pair waits for the mentor's confirmation).</summary>
    Chosen,

    /// <summary>The mentee did not choose in time: the best-scoring candidate with room was proposed.</summary>
    Defaulted,

    /// <summary>Closed without a pair (no candidate had room at the deadline, or the mentee's data was erased).</summary>
    Lapsed,
}
