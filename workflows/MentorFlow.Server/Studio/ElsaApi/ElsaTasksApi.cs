using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Activities.BuiltIn;
using MentorFlow.Workflows.Runtime;
using Microsoft.AspNetCore.Mvc;

namespace MentorFlow.Server.Studio.ElsaApi;

/// <summary>
/// External tasks (<c>/elsa/api/tasks/{taskId}/complete</c>, as Elsa 3 serves it): a worker completes a Run Task step
/// with its result, which resumes the waiting instance once.
/// </summary>
internal static class ElsaTasksApi
{
    /// <summary>Largest result a worker may send (the variable limit applies again when the flow stores it).</summary>
    private const int MaxResultBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapElsaTasksApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/tasks/{taskId}/complete", CompleteAsync);
        return api;
    }

    private static async Task<IResult> CompleteAsync(string taskId, HttpRequest request, [FromServices] IWorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        if (taskId.Length is 0 or > 64 || !taskId.All(char.IsAsciiHexDigit))
        {
            return ElsaRequests.Invalid(new() { ["taskId"] = ["A task id is the hexadecimal id the Run Task step gave out."] });
        }

        JsonNode? result = null;
        if (request.ContentLength > MaxResultBytes)
        {
            return ElsaRequests.Invalid(new() { ["result"] = [$"The result may be at most {MaxResultBytes / 1024} KB."] });
        }

        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            using var limited = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (limited.Length + read > MaxResultBytes)
                {
                    return ElsaRequests.Invalid(new() { ["result"] = [$"The result may be at most {MaxResultBytes / 1024} KB."] });
                }

                limited.Write(buffer, 0, read);
            }

            try
            {
                var body = limited.Length == 0 ? null : JsonNode.Parse(limited.ToArray());
                result = body is JsonObject o && o.TryGetPropertyValue("result", out var value) ? value?.DeepClone() : null;
            }
            catch (JsonException)
            {
                return ElsaRequests.Invalid(new() { ["result"] = ["The body must be JSON: {\"result\": …}."] });
            }
        }

        var resumed = await runtime.SignalAsync(RunTask.BookmarkName, taskId, result, cancellationToken);
        return resumed == 0
            ? ElsaRequests.NotFound($"No step waits for task '{taskId}' (it may be completed already).")
            : TypedResults.Ok(new { taskId, resumed });
    }
}
