using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Workflows.Activities.Http;

/// <summary>The send and the outputs both HTTP request activities share.</summary>
internal static class HttpExchange
{
    /// <summary>
    /// Sends the request. A refused or oversized exchange is an incident; a failure to connect or a timeout is an
    /// incident too, or (with <paramref name="failureOutcomes"/>) completes the activity on its port and returns null.
    /// </summary>
    public static async Task<OutboundHttpResponse?> SendAsync(
        ActivityExecutionContext context, Input<string> url, Input<string> method, Input<JsonNode> content, Input<string> contentType,
        Input<string> authorization, Input<JsonNode> headers, bool failureOutcomes)
    {
        var http = context.Services.GetRequiredService<OutboundHttp>();
        using var request = HttpRequestInputs.Build(context, http, context.Get(url), context.Get(method), context.Get(content), context.Get(contentType),
            context.Get(authorization), context.Get(headers));
        try
        {
            var response = await http.SendAsync(request, context.IdempotencyKey, context.CancellationToken);
            context.Log($"{request.Method} {request.RequestUri!.GetLeftPart(UriPartial.Path)} → {response.StatusCode}");
            return response;
        }
        catch (OutboundHttpException exception) when (failureOutcomes && exception.Failure is OutboundHttpFailure.FailedToConnect or OutboundHttpFailure.Timeout)
        {
            context.Log(exception.Message);
            context.Complete(exception.Failure == OutboundHttpFailure.Timeout ? FlowSendHttpRequest.TimedOut : FlowSendHttpRequest.FailedToConnect);
            return null;
        }
        catch (OutboundHttpException exception)
        {
            throw new ActivityInputException(context.ActivityId, "url", exception.Message);
        }
    }
}
