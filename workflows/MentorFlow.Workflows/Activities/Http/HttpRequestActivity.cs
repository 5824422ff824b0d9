using System.Text.Json.Nodes;

namespace MentorFlow.Workflows.Activities.Http;

/// <summary>The request and response both HTTP request activities declare as Elsa does (URL, method, content, headers; status, content, headers).</summary>
public abstract class HttpRequestActivity : Activity
{
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

    /// <summary>
    /// Sends the request. A refused or oversized exchange is an incident; a failure to connect or a timeout is an
    /// incident too, or (with <paramref name="failureOutcomes"/>) completes the activity on its port and returns null.
    /// On an answer the outputs are set.
    /// </summary>
    private protected async Task<OutboundHttpResponse?> SendAsync(ActivityExecutionContext context, bool failureOutcomes)
    {
        var response = await HttpExchange.SendAsync(context, Url, Method, Content, ContentType, Authorization, RequestHeaders, failureOutcomes);
        if (response is not null)
        {
            context.Set(StatusCode, response.StatusCode);
            context.Set(ParsedContent, response.ParsedContent());
            context.Set(ResponseHeaders, response.Headers);
        }

        return response;
    }
}
