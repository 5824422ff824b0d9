using System.Globalization;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;

namespace MentorFlow.Server.Studio.ElsaApi;

/// <summary>
/// Maps engine instances, journals and incidents to the Elsa 3 shapes the instance list and viewer read. Activity
/// executions are derived from the journal: one execution per activity run, completed by a later <c>Resumed</c> entry
/// of the same activity when it waited on a bookmark.
/// </summary>
internal static class InstancePresenter
{
    public static ElsaWorkflowStatus Status(WorkflowStatus status) =>
        status == WorkflowStatus.Finished ? ElsaWorkflowStatus.Finished : ElsaWorkflowStatus.Running;

    public static ElsaWorkflowSubStatus SubStatus(WorkflowSubStatus status) => status switch
    {
        WorkflowSubStatus.Pending => ElsaWorkflowSubStatus.Pending,
        WorkflowSubStatus.Executing => ElsaWorkflowSubStatus.Executing,
        WorkflowSubStatus.Suspended => ElsaWorkflowSubStatus.Suspended,
        WorkflowSubStatus.Finished => ElsaWorkflowSubStatus.Finished,
        WorkflowSubStatus.Cancelled => ElsaWorkflowSubStatus.Cancelled,
        WorkflowSubStatus.Faulted => ElsaWorkflowSubStatus.Faulted,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown sub-status."),
    };

    public static ElsaWorkflowInstanceSummary Summary(WorkflowInstanceSummary summary) => new(
        summary.Id,
        summary.DefinitionId,
        summary.DefinitionVersionId,
        summary.Version,
        Status(summary.Status),
        SubStatus(summary.SubStatus),
        summary.CorrelationId,
        summary.Name,
        summary.IncidentCount,
        summary.CreatedAt,
        summary.UpdatedAt,
        summary.FinishedAt);

    public static ElsaWorkflowInstance Instance(WorkflowInstanceDetails details, WorkflowDefinitionVersion? definition)
    {
        var summary = details.Summary;
        return new(
            summary.Id,
            summary.DefinitionId,
            summary.DefinitionVersionId,
            summary.Version,
            ParentWorkflowInstanceId: null,
            State(details, definition),
            Status(summary.Status),
            SubStatus(summary.SubStatus),
            IsExecuting: summary.SubStatus == WorkflowSubStatus.Executing,
            IsSystem: false,
            summary.CorrelationId,
            summary.Name,
            summary.IncidentCount,
            summary.CreatedAt,
            summary.UpdatedAt,
            summary.FinishedAt);
    }

    public static ElsaWorkflowState State(WorkflowInstanceDetails details, WorkflowDefinitionVersion? definition)
    {
        var summary = details.Summary;
        var nodes = new NodeIds(definition);
        var executions = Executions(details, nodes);
        var incidents = details.Incidents
            .Select(incident => new ElsaActivityIncident(
                incident.ActivityId,
                nodes.Of(incident.ActivityId),
                incident.ActivityType,
                incident.Message,
                incident.Exception is null ? null : new ElsaExceptionState("Exception", incident.Message, incident.Exception, null),
                incident.Timestamp))
            .ToList();
        var lastFault = details.Incidents.Where(incident => incident.ResolvedAt is null).MaxBy(incident => incident.Timestamp);
        var bookmarks = details.Bookmarks
            .Select(bookmark => new ElsaBookmark(
                bookmark.Id,
                bookmark.Name,
                Hash: bookmark.CorrelationId is null ? bookmark.Name : $"{bookmark.Name}:{bookmark.CorrelationId}",
                bookmark.Payload?.DeepClone(),
                nodes.Of(bookmark.ActivityId),
                executions.LastOrDefault(execution => execution.ActivityId == bookmark.ActivityId)?.Id ?? bookmark.Id,
                AutoBurn: true,
                CallbackMethodName: null,
                Metadata: bookmark.DueAt is { } due
                    ? new Dictionary<string, string> { ["dueAt"] = due.ToString("O", CultureInfo.InvariantCulture) }
                    : null))
            .ToList();
        return new(
            summary.Id,
            summary.DefinitionId,
            summary.DefinitionVersionId,
            summary.Version,
            summary.CorrelationId,
            Status(summary.Status),
            SubStatus(summary.SubStatus),
            bookmarks,
            incidents,
            lastFault is null || summary.SubStatus != WorkflowSubStatus.Faulted
                ? null
                : new ElsaWorkflowFault(new ElsaExceptionState("Exception", lastFault.Message, lastFault.Exception, null), lastFault.Message, lastFault.ActivityId),
            [],
            [],
            (JsonObject)details.Input.DeepClone(),
            (JsonObject)details.Output.DeepClone(),
            [],
            summary.CreatedAt,
            summary.UpdatedAt,
            summary.FinishedAt);
    }

    /// <summary>The execution log records (Elsa's journal): a <c>Started</c> record and an end record per journal entry.</summary>
    public static List<ElsaExecutionLogRecord> Journal(WorkflowInstanceDetails details, WorkflowDefinitionVersion? definition)
    {
        var nodes = new NodeIds(definition);
        var executions = Executions(details, nodes);
        var records = new List<ElsaExecutionLogRecord>();
        foreach (var entry in details.Journal.OrderBy(entry => entry.Sequence))
        {
            var execution = executions.First(candidate => candidate.Entries.Contains(entry));
            var resumed = entry.EventName == JournalEvents.Resumed;
            records.Add(Record(details, entry, execution, nodes, entry.Sequence * 2, resumed ? "Resumed" : "Started", entry.StartedAt, null, null));
            var end = resumed ? JournalEvents.Completed : entry.EventName;
            if (end is JournalEvents.Completed or JournalEvents.Suspended or JournalEvents.Faulted or JournalEvents.Cancelled)
            {
                var payload = new JsonObject { ["Outcomes"] = new JsonArray(entry.Outcomes.Select(outcome => (JsonNode?)outcome).ToArray()) };
                records.Add(Record(details, entry, execution, nodes, (entry.Sequence * 2) + 1, end, entry.CompletedAt ?? entry.StartedAt,
                    entry.Error ?? entry.Message, payload));
            }
        }

        return records;
    }

    public static List<Execution> Executions(WorkflowInstanceDetails details, WorkflowDefinitionVersion? definition) =>
        Executions(details, new NodeIds(definition));

    public static ElsaActivityExecutionRecordSummary Summary(Execution execution) => new(
        execution.Id,
        execution.InstanceId,
        execution.ActivityId,
        execution.NodeId,
        execution.ActivityType,
        execution.ActivityTypeVersion,
        execution.ActivityName,
        execution.StartedAt,
        execution.HasBookmarks,
        execution.Status,
        execution.Status == ElsaActivityStatus.Faulted ? 1 : 0,
        execution.CompletedAt);

    public static ElsaActivityExecutionRecord Record(Execution execution) => new(
        execution.Id,
        execution.InstanceId,
        execution.ActivityId,
        execution.NodeId,
        execution.ActivityType,
        execution.ActivityTypeVersion,
        execution.ActivityName,
        execution.StartedAt,
        execution.HasBookmarks,
        execution.Status,
        execution.Status == ElsaActivityStatus.Faulted ? 1 : 0,
        execution.CompletedAt,
        ActivityState: null,
        Payload: new JsonObject { ["Outcomes"] = new JsonArray(execution.Outcomes.Select(outcome => (JsonNode?)outcome).ToArray()) },
        Outputs: null,
        Properties: execution.Messages.Count == 0
            ? []
            : new JsonObject { ["Messages"] = new JsonArray(execution.Messages.Select(message => (JsonNode?)message).ToArray()) },
        Metadata: [],
        Exception: execution.Error is null ? null : new ElsaExceptionState("Exception", execution.Error, null, null),
        SchedulingActivityExecutionId: null,
        SchedulingActivityId: null,
        SchedulingWorkflowInstanceId: null,
        CallStackDepth: 0);

    private static ElsaExecutionLogRecord Record(
        WorkflowInstanceDetails details, JournalEntry entry, Execution execution, NodeIds nodes, long sequence, string eventName,
        DateTimeOffset timestamp, string? message, JsonObject? payload) => new(
        $"{details.Summary.Id}:{sequence.ToString(CultureInfo.InvariantCulture)}",
        execution.Id,
        ParentActivityInstanceId: null,
        entry.ActivityId,
        entry.ActivityType,
        entry.ActivityTypeVersion,
        entry.ActivityName ?? entry.ActivityId,
        nodes.Of(entry.ActivityId),
        timestamp,
        sequence,
        eventName,
        message,
        Source: null,
        payload);

    private static List<Execution> Executions(WorkflowInstanceDetails details, NodeIds nodes)
    {
        var executions = new List<Execution>();
        foreach (var entry in details.Journal.OrderBy(entry => entry.Sequence))
        {
            if (entry.EventName == JournalEvents.Resumed
                && executions.LastOrDefault(candidate => candidate.ActivityId == entry.ActivityId && candidate.Status == ElsaActivityStatus.Running) is { } open)
            {
                open.Entries.Add(entry);
                open.Apply(entry);
                continue;
            }

            var execution = new Execution(
                $"{details.Summary.Id}:{entry.Sequence.ToString(CultureInfo.InvariantCulture)}",
                details.Summary.Id,
                entry.ActivityId,
                nodes.Of(entry.ActivityId),
                entry.ActivityType,
                entry.ActivityTypeVersion,
                entry.ActivityName ?? entry.ActivityId,
                entry.StartedAt);
            execution.Entries.Add(entry);
            execution.Apply(entry);
            executions.Add(execution);
        }

        // A cancelled instance leaves its waiting activities cancelled.
        if (details.Summary.SubStatus == WorkflowSubStatus.Cancelled)
        {
            foreach (var waiting in executions.Where(execution => execution.Status == ElsaActivityStatus.Running))
            {
                waiting.Status = ElsaActivityStatus.Canceled;
                waiting.HasBookmarks = false;
            }
        }

        return executions;
    }

    /// <summary>One run of an activity, assembled from its journal entries.</summary>
    internal sealed class Execution(
        string id, string instanceId, string activityId, string nodeId, string activityType, int activityTypeVersion, string activityName, DateTimeOffset startedAt)
    {
        public string Id { get; } = id;
        public string InstanceId { get; } = instanceId;
        public string ActivityId { get; } = activityId;
        public string NodeId { get; } = nodeId;
        public string ActivityType { get; } = activityType;
        public int ActivityTypeVersion { get; } = activityTypeVersion;
        public string ActivityName { get; } = activityName;
        public DateTimeOffset StartedAt { get; } = startedAt;
        public DateTimeOffset? CompletedAt { get; private set; }
        public ElsaActivityStatus Status { get; set; } = ElsaActivityStatus.Running;
        public bool HasBookmarks { get; set; }
        public IReadOnlyList<string> Outcomes { get; private set; } = [];
        public string? Error { get; private set; }
        public List<string> Messages { get; } = [];
        public List<JournalEntry> Entries { get; } = [];

        public void Apply(JournalEntry entry)
        {
            if (entry.Message is { Length: > 0 } message)
            {
                Messages.Add(message);
            }

            switch (entry.EventName)
            {
                case JournalEvents.Suspended:
                    Status = ElsaActivityStatus.Running;
                    HasBookmarks = true;
                    break;
                case JournalEvents.Faulted:
                    Status = ElsaActivityStatus.Faulted;
                    HasBookmarks = false;
                    Error = entry.Error ?? entry.Message;
                    CompletedAt = entry.CompletedAt ?? entry.StartedAt;
                    break;
                case JournalEvents.Cancelled:
                    Status = ElsaActivityStatus.Canceled;
                    HasBookmarks = false;
                    CompletedAt = entry.CompletedAt ?? entry.StartedAt;
                    break;
                default:
                    Status = entry.CompletedAt is null && entry.EventName != JournalEvents.Completed && entry.EventName != JournalEvents.Resumed
                        ? ElsaActivityStatus.Running
                        : ElsaActivityStatus.Completed;
                    HasBookmarks = false;
                    CompletedAt = entry.CompletedAt ?? (Status == ElsaActivityStatus.Completed ? entry.StartedAt : null);
                    break;
            }

            if (entry.Outcomes.Count > 0)
            {
                Outcomes = entry.Outcomes;
            }
        }
    }

    /// <summary>Activity id → node id, read from the definition version's tree (<c>nodeId</c>, else the one <see cref="ElsaNodeIds"/> computes, as the designer is shown).</summary>
    private sealed class NodeIds(WorkflowDefinitionVersion? definition)
    {
        private readonly Dictionary<string, string> _byActivity = ElsaNodeIds.Map(definition?.Model["root"] as JsonObject);
        private readonly string _rootNodeId = ElsaNodeIds.RootNodeId(definition?.Model["root"] as JsonObject);

        public string Of(string activityId) =>
            _byActivity.TryGetValue(activityId, out var nodeId) ? nodeId : $"{_rootNodeId}:{activityId}";
    }
}
