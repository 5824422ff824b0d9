using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Graph.Gateway;
using MentorFlow.Graph.Model;
using MentorFlow.Graph.Outbox;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.Options;

namespace MentorFlow.Graph.Activities;

internal static class GraphActivity
{
    public static string? Mailbox(string? given, GraphOptions options) =>
        string.IsNullOrWhiteSpace(given) ? options.OrganizerMailbox : given.Trim();

    /// <summary>
    /// Marks the row of a test run so the dispatcher sends it to the embedded sandbox, even in Tenant mode. In Tenant
    /// mode without a hosted sandbox a test run is refused (the activity faults, nothing is queued): it must never
    /// reach real mailboxes.
    /// </summary>
    public static GraphOutboxMessage Route(ActivityExecutionContext context, GraphOutboxMessage message)
    {
        message.SandboxOnly = IsTestRun(context.WorkflowInput);
        if (message.SandboxOnly && context.Services.GetService(typeof(IGraphSandboxEndpoint)) is null
            && (context.Services.GetService(typeof(IOptions<GraphOptions>)) as IOptions<GraphOptions>)?.Value.ParsedMode == GraphMode.Tenant)
        {
            throw new GraphValidationException(new Dictionary<string, string[]>
            {
                [WorkflowInputKeys.TestRun] =
                [
                    "This is a test run from the designer: its invites and mail go only to the embedded Graph sandbox, which is not hosted in Tenant mode. "
                    + "Set GraphSandbox:Enabled=true to host it for test runs; nothing was sent.",
                ],
            });
        }

        return message;
    }

    internal static bool IsTestRun(JsonObject input)
    {
        var value = input.FirstOrDefault(p => string.Equals(p.Key, WorkflowInputKeys.TestRun, StringComparison.OrdinalIgnoreCase)).Value;
        return value is JsonValue flag && flag.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.String => bool.TryParse(flag.GetValue<string>(), out var parsed) && parsed,
            _ => false,
        };
    }

    public static string Source(ActivityExecutionContext context) =>
        $"workflow {context.DefinitionId} instance {context.WorkflowInstanceId} activity {context.ActivityId}";
}
