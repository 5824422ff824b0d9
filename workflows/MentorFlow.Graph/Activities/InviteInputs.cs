using MentorFlow.Graph.Model;
using MentorFlow.Workflows.Activities;

namespace MentorFlow.Graph.Activities;

internal static class InviteInputs
{
    public static InviteRequest Read(
        ActivityExecutionContext context,
        Input<string> attendees,
        Input<string> subject,
        Input<string> htmlBody,
        Input<string> start,
        Input<int> durationMinutes,
        Input<string> timeZone,
        Input<string> location,
        Input<bool> teams,
        string startField,
        Dictionary<string, string[]>? errors = null)
    {
        var ownErrors = errors ?? [];
        var zone = context.Get(timeZone) ?? string.Empty;
        var startAt = GraphActivityInputs.WallClock(context.Get(start), zone, startField, ownErrors);
        if (startAt is null && !ownErrors.ContainsKey(startField))
        {
            ownErrors[startField] = ["The start is required."];
        }

        var minutes = context.Get(durationMinutes);
        if (minutes is < 1 or > 24 * 60)
        {
            ownErrors["durationMinutes"] = [$"{minutes} minutes is not a meeting length (1 to 1440)."];
        }

        if (errors is null)
        {
            GraphActivityInputs.ThrowIfInvalid(ownErrors);
        }

        var first = startAt ?? default;
        var location1 = context.Get(location);
        return new InviteRequest(
            context.Get(subject) ?? string.Empty,
            context.Get(htmlBody) ?? string.Empty,
            first,
            first.AddMinutes(Math.Clamp(minutes, 1, 24 * 60)),
            zone,
            GraphActivityInputs.People(context.Get(attendees)),
            string.IsNullOrWhiteSpace(location1) ? null : location1,
            context.Get(teams));
    }
}
