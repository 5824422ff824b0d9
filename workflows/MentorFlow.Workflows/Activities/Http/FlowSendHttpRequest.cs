using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;

namespace MentorFlow.Workflows.Activities.Http;

[Activity("Elsa", "HTTP", "Send an HTTP request to an allowed host and follow the port of the status code that came back.", DisplayName = "HTTP Request (flow)")]
public sealed class FlowSendHttpRequest : HttpRequestActivity, IHasDynamicOutcomes
{
    public const string Unmatched = "Unmatched status code";
    public const string FailedToConnect = "Failed to connect";
    public const string TimedOut = "Timeout";

    [Input(DisplayName = "Expected Status Codes", Description = "The status codes that get a port of their own.", DefaultSyntax = ExpressionSyntax.Object)]
    public Input<JsonNode> ExpectedStatusCodes { get; init; } = new(WorkflowExpression.Literal(null));

    public static IReadOnlyList<string> GetOutcomes(JsonObject activityJson)
    {
        var expression = ActivityBinder.ReadExpression(DefinitionReader.Get(activityJson, "expectedStatusCodes"));
        return [.. Codes(expression?.Value).Select(c => c.ToString(CultureInfo.InvariantCulture)), Unmatched, FailedToConnect, TimedOut, "Done"];
    }

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (await SendAsync(context, failureOutcomes: true) is not { } response)
        {
            return;
        }

        var expected = context.Get(ExpectedStatusCodes) switch
        {
            JsonArray array => array.Select(v => v is JsonValue n && n.TryGetValue<int>(out var code) ? code : int.TryParse(v?.ToString(), out var parsed) ? parsed : -1).ToList(),
            JsonValue single => Codes(single.ToString()).ToList(),
            _ => [],
        };
        context.Complete(expected.Contains(response.StatusCode) ? response.StatusCode.ToString(CultureInfo.InvariantCulture) : Unmatched, "Done");
    }

    private static IEnumerable<int> Codes(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        try
        {
            if (JsonNode.Parse(text) is JsonArray array)
            {
                return array.Select(v => int.TryParse(v?.ToString(), out var code) ? code : -1).Where(c => c is >= 100 and <= 599).Distinct();
            }
        }
        catch (JsonException)
        {
        }

        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.TryParse(t, out var code) ? code : -1).Where(c => c is >= 100 and <= 599).Distinct();
    }
}
