using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;

namespace MentorFlow.Workflows.Activities.Http;

[Activity("Elsa", "HTTP", "Send an HTTP request to an allowed host and follow the port of the status code that came back.", DisplayName = "HTTP Request (flow)")]
public sealed class FlowSendHttpRequest : Activity, IHasDynamicOutcomes
{
    public const string Unmatched = "Unmatched status code";
    public const string FailedToConnect = "Failed to connect";
    public const string TimedOut = "Timeout";

    [Input(DisplayName = "Expected Status Codes", Description = "The status codes that get a port of their own.", DefaultSyntax = ExpressionSyntax.Object)]
    public Input<JsonNode> ExpectedStatusCodes { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(DisplayName = "URL", Description = "The URL to send the request to (its host must be on Workflows:Http:AllowedHosts).", UIHint = "singleline", Required = true)]
    public Input<string> Url { get; init; } = new(string.Empty);

    [Input(Description = "The HTTP method to use.", UIHint = "dropdown", Options = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])]
    public Input<string> Method { get; init; } = new("GET");

    [Input(Description = "The content to send (an object is sent as JSON).")]
    public Input<JsonNode> Content { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(DisplayName = "Content Type", Description = "The content type to send with the request.", UIHint = "singleline")]
    public Input<string> ContentType { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(Description = "The Authorization header value to send.", UIHint = "singleline")]
    public Input<string> Authorization { get; init; } = new(WorkflowExpression.Literal(null));

    [Input(DisplayName = "Request Headers", Description = "The headers to send along with the request (name → value or values).", DefaultSyntax = ExpressionSyntax.Object)]
    public Input<JsonNode> RequestHeaders { get; init; } = new(WorkflowExpression.Literal(null));

    [Output(DisplayName = "Status Code", Description = "The HTTP status code of the response.")]
    public Output<int> StatusCode { get; init; } = new();

    [Output(DisplayName = "Parsed Content", Description = "The response body (JSON parsed, text as a string).")]
    public Output<JsonNode> ParsedContent { get; init; } = new();

    [Output(DisplayName = "Response Headers", Description = "The response headers.")]
    public Output<JsonNode> ResponseHeaders { get; init; } = new();

    public static IReadOnlyList<string> GetOutcomes(JsonObject activityJson)
    {
        var expression = ActivityBinder.ReadExpression(DefinitionReader.Get(activityJson, "expectedStatusCodes"));
        return [.. Codes(expression?.Value).Select(c => c.ToString(CultureInfo.InvariantCulture)), Unmatched, FailedToConnect, TimedOut, "Done"];
    }

    protected override async ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var response = await HttpExchange.SendAsync(context, Url, Method, Content, ContentType, Authorization, RequestHeaders, failureOutcomes: true);
        if (response is null)
        {
            return;
        }

        HttpExchange.SetOutputs(context, response, StatusCode, ParsedContent, ResponseHeaders);
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
