using System.Globalization;

namespace MentorFlow.Reporting.Data;

public enum RelationshipStatus
{
    Active,
    Completed,
    ClosedEarly,
}

/// <summary>One row of relationships.csv: one pair, for the metrics.</summary>
public sealed record Relationship
{
    public required string MentorId { get; init; }
    public required string MenteeId { get; init; }
    public required string Programme { get; init; }
    public required DateOnly Started { get; init; }
    public required DateOnly PlannedEnd { get; init; }
    public DateOnly? Ended { get; init; }
    public required RelationshipStatus Status { get; init; }
    public required int Meetings { get; init; }
    public DateOnly? LastMeeting { get; init; }
    public bool? GoalMet { get; init; }
    /// <summary>1–5, or null when not (yet) surveyed.</summary>
    public double? Satisfaction { get; init; }
}

/// <summary>Reads and writes relationships.csv.</summary>
public static class RelationshipsCsv
{
    public static readonly IReadOnlyList<string> Columns =
        ["mentor_id", "mentee_id", "programme", "started", "planned_end", "ended", "status", "meetings", "last_meeting", "goal_met", "satisfaction"];

    public static readonly CsvSchema Schema = new(
        ["mentor_id", "mentee_id", "programme", "started", "planned_end", "status", "meetings"],
        ["ended", "last_meeting", "goal_met", "satisfaction"]);

    public static CsvReadResult<Relationship> Read(string path) => CsvTable.ReadFile(path, Schema, ParseRow(new()));

    public static CsvReadResult<Relationship> Read(TextReader reader, string fileName) =>
        CsvTable.Read(reader, fileName, Schema, ParseRow(new()));

    public static void Write(string path, IEnumerable<Relationship> rows) => CsvTable.WriteFile(path, w => Write(w, rows));

    public static void Write(TextWriter writer, IEnumerable<Relationship> rows) =>
        CsvTable.Write(writer, Columns, rows, r =>
        [
            r.MentorId, r.MenteeId, r.Programme, CsvTable.Format(r.Started), CsvTable.Format(r.PlannedEnd), CsvTable.Format(r.Ended),
            ToCsv(r.Status), r.Meetings.ToString(CultureInfo.InvariantCulture), CsvTable.Format(r.LastMeeting),
            CsvTable.Format(r.GoalMet), r.Satisfaction is { } s ? CsvTable.Format(s) : null,
        ]);

    public static string ToCsv(RelationshipStatus status) => status switch
    {
        RelationshipStatus.Active => "active",
        RelationshipStatus.Completed => "completed",
        _ => "closed-early",
    };

    public static RelationshipStatus? ParseStatus(string text) => text.Trim().ToLowerInvariant() switch
    {
        "active" => RelationshipStatus.Active,
        "completed" => RelationshipStatus.Completed,
        "closed-early" => RelationshipStatus.ClosedEarly,
        _ => null,
    };

    private static Func<CsvRow, Relationship?> ParseRow(Dictionary<(string, string, string), int> seen) => row =>
    {
        var mentor = row.Text("mentor_id");
        var mentee = row.Text("mentee_id");
        var programme = row.Text("programme");
        var started = row.Date("started");
        var plannedEnd = row.Date("planned_end");
        var ended = row.OptionalDate("ended");
        var statusText = row.Text("status");
        var status = statusText.Length == 0 ? null : ParseStatus(statusText);
        if (statusText.Length > 0 && status is null)
        {
            row.Error("status", $"unknown status '{statusText}' (expected active, completed or closed-early)");
        }

        var meetings = row.Int("meetings", 0);
        var lastMeeting = row.OptionalDate("last_meeting");
        var goalMet = row.OptionalBool("goal_met");
        var satisfaction = row.OptionalNumber("satisfaction", 1, 5);
        if (started != default && plannedEnd != default && plannedEnd < started)
        {
            row.Error("planned_end", "must not be before started");
        }

        if (ended is { } e && started != default && e < started)
        {
            row.Error("ended", "must not be before started");
        }

        if (status == RelationshipStatus.Active && ended is not null)
        {
            row.Error("ended", "an active relationship has no end date");
        }

        if (status is RelationshipStatus.Completed or RelationshipStatus.ClosedEarly && ended is null)
        {
            row.Error("ended", $"a {statusText} relationship needs an end date");
        }

        if (lastMeeting is { } l && started != default && l < started)
        {
            row.Error("last_meeting", "must not be before started");
        }

        if (meetings == 0 && lastMeeting is not null)
        {
            row.Error("last_meeting", "no meetings held, so there is no last meeting");
        }

        var key = (mentor, mentee, programme);
        if (mentor.Length > 0 && mentee.Length > 0 && !seen.TryAdd(key, row.Line))
        {
            row.Error(null, $"duplicate relationship {mentor}/{mentee} in programme '{programme}' (first seen on line {seen[key]})");
        }

        if (status is null)
        {
            return null;
        }

        return new Relationship
        {
            MentorId = mentor,
            MenteeId = mentee,
            Programme = programme,
            Started = started,
            PlannedEnd = plannedEnd,
            Ended = ended,
            Status = status.Value,
            Meetings = meetings,
            LastMeeting = lastMeeting,
            GoalMet = goalMet,
            Satisfaction = satisfaction,
        };
    };
}
