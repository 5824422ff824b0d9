using System.Text.Json.Nodes;

namespace MentorFlow.Server.Studio.ElsaApi;

// The Elsa 3.8 REST shapes Elsa Studio reads and writes (field names from the Elsa 3 client and server sources;
// see workflows/MentorFlow.Server/Studio/README.md). Serialized camelCase with enums as strings by the server's defaults.

/// <summary>Elsa's <c>Link</c>: the Studio enables editing only when a <c>publish</c> link is present.</summary>
public sealed record ElsaLink(string Href, string Rel, string Method);

/// <summary>Elsa's <c>ListResponse&lt;T&gt;</c>.</summary>
public sealed record ElsaListResponse<T>(IReadOnlyList<T> Items, long Count);

/// <summary>Elsa's <c>PagedListResponse&lt;T&gt;</c>.</summary>
public sealed record ElsaPagedListResponse<T>(IReadOnlyList<T> Items, long TotalCount, IReadOnlyList<ElsaLink>? Links = null);

/// <summary>Elsa's <c>WorkflowDefinitionSummary</c>.</summary>
public sealed record ElsaWorkflowDefinitionSummary(
    string Id,
    string DefinitionId,
    string? Name,
    string? Description,
    int Version,
    string? ToolVersion,
    bool IsLatest,
    bool IsPublished,
    bool IsReadonly,
    string? ProviderName,
    string MaterializerName,
    bool IsMaterializerAvailable,
    DateTimeOffset CreatedAt,
    IReadOnlyList<ElsaLink>? Links);

/// <summary>Body of <c>POST /workflow-definitions</c>: the model and whether to publish it.</summary>
public sealed record ElsaSaveWorkflowDefinitionRequest(JsonObject? Model, bool? Publish);

/// <summary>Answer of save and publish.</summary>
public sealed record ElsaSaveWorkflowDefinitionResponse(
    JsonObject WorkflowDefinition,
    bool AlreadyPublished,
    int ConsumingWorkflowCount,
    IReadOnlyList<string> ValidationErrors);

public sealed record ElsaIsNameUniqueResponse(bool IsUnique);

public sealed record ElsaCountResponse(long Count);

public sealed record ElsaDefinitionIdsRequest(IReadOnlyList<string>? DefinitionIds);

public sealed record ElsaIdsRequest(IReadOnlyList<string>? Ids);

public sealed record ElsaBulkDeleteResponse(long Deleted);

public sealed record ElsaBulkPublishResponse(
    IReadOnlyList<string> Published,
    IReadOnlyList<string> AlreadyPublished,
    IReadOnlyList<string> NotFound,
    IReadOnlyList<string> UpdatedConsumers);

public sealed record ElsaBulkRetractResponse(IReadOnlyList<string> Retracted, IReadOnlyList<string> AlreadyRetracted, IReadOnlyList<string> NotFound);

public sealed record ElsaConsumersResponse(IReadOnlyList<string> ConsumingWorkflowDefinitionIds);

public sealed record ElsaUpdateReferencesResponse(IReadOnlyList<string> AffectedWorkflows);

public sealed record ElsaImportFilesResponse(int Count);

/// <summary>Body of <c>POST /workflow-definitions/{id}/execute</c> (read only when JSON).</summary>
public sealed record ElsaExecuteRequest(
    string? CorrelationId,
    string? Name,
    string? TriggerActivityId,
    string? VersionOptions,
    JsonObject? Input,
    JsonObject? Variables);

// ---- descriptors, features, package ----

public sealed record ElsaActivityDescriptor(
    string TypeName,
    string Namespace,
    string Name,
    int Version,
    string Category,
    string? DisplayName,
    string? Description,
    string Kind,
    IReadOnlyList<ElsaInputDescriptor> Inputs,
    IReadOnlyList<ElsaOutputDescriptor> Outputs,
    IReadOnlyList<ElsaPort> Ports,
    IDictionary<string, object?> CustomProperties,
    IDictionary<string, object?> ConstructionProperties,
    bool IsContainer,
    bool IsBrowsable,
    bool IsStart,
    bool IsTerminal);

public sealed record ElsaInputDescriptor(
    string Name,
    string TypeName,
    string? DisplayName,
    string? Description,
    float Order,
    bool IsBrowsable,
    bool IsSerializable,
    bool IsSynthetic,
    bool IsWrapped,
    string UiHint,
    string? Category,
    object? DefaultValue,
    string? DefaultSyntax,
    bool IsReadOnly,
    bool IsSensitive,
    string? StorageDriverType,
    IDictionary<string, object?>? UiSpecifications);

public sealed record ElsaOutputDescriptor(
    string Name,
    string TypeName,
    string? DisplayName,
    string? Description,
    float Order,
    bool IsBrowsable,
    bool IsSynthetic);

public sealed record ElsaPort(string Name, string? DisplayName, string Type, bool IsBrowsable);

public sealed record ElsaExpressionDescriptor(
    string Type,
    string DisplayName,
    bool IsSerializable,
    bool IsBrowsable,
    string? MonacoLanguage,
    IDictionary<string, string> Properties);

public sealed record ElsaVariableTypeDescriptor(string TypeName, string DisplayName, string Category, string? Description);

public sealed record ElsaStrategyDescriptor(string TypeName, string DisplayName, string? Description);

public sealed record ElsaCommitStrategyDescriptor(string Name, string DisplayName, string? Description);

public sealed record ElsaStorageDriverDescriptor(string TypeName, string DisplayName, double Priority, bool Deprecated);

public sealed record ElsaFeatureDescriptor(string Name, string Namespace, string FullName, string DisplayName, string Description);

public sealed record ElsaPackageVersionResponse(string PackageVersion);

// ---- instances, journal, activity executions ----

public enum ElsaWorkflowStatus
{
    Running,
    Finished,
}

public enum ElsaWorkflowSubStatus
{
    Pending,
    Executing,
    Suspended,
    Finished,
    Cancelled,
    Faulted,
    Interrupted,
}

public enum ElsaActivityStatus
{
    Pending,
    Running,
    Completed,
    Canceled,
    Faulted,
}

/// <summary>Body of <c>POST /workflow-instances</c> (list).</summary>
public sealed record ElsaListInstancesRequest(
    int? Page,
    int? PageSize,
    string? SearchTerm,
    string? DefinitionId,
    IReadOnlyList<string>? DefinitionIds,
    string? CorrelationId,
    string? Name,
    int? Version,
    bool? HasIncidents,
    bool? IsSystem,
    string? Status,
    IReadOnlyList<string>? Statuses,
    string? SubStatus,
    IReadOnlyList<string>? SubStatuses,
    string? OrderBy,
    string? OrderDirection);

public sealed record ElsaWorkflowInstanceSummary(
    string Id,
    string DefinitionId,
    string DefinitionVersionId,
    int Version,
    ElsaWorkflowStatus Status,
    ElsaWorkflowSubStatus SubStatus,
    string? CorrelationId,
    string? Name,
    int IncidentCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt);

public sealed record ElsaWorkflowInstance(
    string Id,
    string DefinitionId,
    string DefinitionVersionId,
    int Version,
    string? ParentWorkflowInstanceId,
    ElsaWorkflowState WorkflowState,
    ElsaWorkflowStatus Status,
    ElsaWorkflowSubStatus SubStatus,
    bool IsExecuting,
    bool IsSystem,
    string? CorrelationId,
    string? Name,
    int IncidentCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt);

public sealed record ElsaWorkflowState(
    string Id,
    string DefinitionId,
    string DefinitionVersionId,
    int DefinitionVersion,
    string? CorrelationId,
    ElsaWorkflowStatus Status,
    ElsaWorkflowSubStatus SubStatus,
    IReadOnlyList<ElsaBookmark> Bookmarks,
    IReadOnlyList<ElsaActivityIncident> Incidents,
    ElsaWorkflowFault? Fault,
    IReadOnlyList<object> CompletionCallbacks,
    IReadOnlyList<object> ActivityExecutionContexts,
    JsonObject Input,
    JsonObject Output,
    JsonObject Properties,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt);

public sealed record ElsaBookmark(
    string Id,
    string Name,
    string Hash,
    JsonNode? Payload,
    string ActivityNodeId,
    string ActivityInstanceId,
    bool AutoBurn,
    string? CallbackMethodName,
    IDictionary<string, string>? Metadata);

public sealed record ElsaExceptionState(string Type, string Message, string? StackTrace, ElsaExceptionState? InnerException);

public sealed record ElsaActivityIncident(
    string ActivityId,
    string ActivityNodeId,
    string ActivityType,
    string Message,
    ElsaExceptionState? Exception,
    DateTimeOffset Timestamp);

public sealed record ElsaWorkflowFault(ElsaExceptionState? Exception, string Message, string? FaultedActivityId);

public sealed record ElsaExecutionState(ElsaWorkflowStatus Status, ElsaWorkflowSubStatus SubStatus, ElsaWorkflowSubStatus WorkflowSubStatus, DateTimeOffset UpdatedAt);

public sealed record ElsaVariableValue(string Id, string Name, JsonNode? Value);

public sealed record ElsaJournalFilter(
    IReadOnlyList<string>? ActivityIds,
    IReadOnlyList<string>? ActivityNodeIds,
    IReadOnlyList<string>? ExcludedActivityTypes,
    IReadOnlyList<string>? EventNames);

public sealed record ElsaJournalRequest(ElsaJournalFilter? Filter);

public sealed record ElsaExecutionLogRecord(
    string Id,
    string ActivityInstanceId,
    string? ParentActivityInstanceId,
    string ActivityId,
    string ActivityType,
    int ActivityTypeVersion,
    string? ActivityName,
    string NodeId,
    DateTimeOffset Timestamp,
    long Sequence,
    string? EventName,
    string? Message,
    string? Source,
    JsonObject? Payload);

public sealed record ElsaActivityExecutionReportRequest(string? WorkflowInstanceId, IReadOnlyList<string>? ActivityNodeIds);

public sealed record ElsaActivityExecutionReport(IReadOnlyList<ElsaActivityExecutionStats> Stats);

public sealed record ElsaActivityExecutionStats(
    string ActivityId,
    string ActivityNodeId,
    long StartedCount,
    long CompletedCount,
    long UncompletedCount,
    bool IsBlocked,
    bool IsFaulted,
    long AggregateFaultCount);

public sealed record ElsaActivityExecutionRecordSummary(
    string Id,
    string WorkflowInstanceId,
    string ActivityId,
    string ActivityNodeId,
    string ActivityType,
    int ActivityTypeVersion,
    string? ActivityName,
    DateTimeOffset StartedAt,
    bool HasBookmarks,
    ElsaActivityStatus Status,
    long AggregateFaultCount,
    DateTimeOffset? CompletedAt);

public sealed record ElsaActivityExecutionRecord(
    string Id,
    string WorkflowInstanceId,
    string ActivityId,
    string ActivityNodeId,
    string ActivityType,
    int ActivityTypeVersion,
    string? ActivityName,
    DateTimeOffset StartedAt,
    bool HasBookmarks,
    ElsaActivityStatus Status,
    long AggregateFaultCount,
    DateTimeOffset? CompletedAt,
    JsonObject? ActivityState,
    JsonObject? Payload,
    JsonObject? Outputs,
    JsonObject Properties,
    JsonObject Metadata,
    ElsaExceptionState? Exception,
    string? SchedulingActivityExecutionId,
    string? SchedulingActivityId,
    string? SchedulingWorkflowInstanceId,
    int? CallStackDepth);

public sealed record ElsaCallStackResponse(string ActivityExecutionId, IReadOnlyList<ElsaActivityExecutionRecord> Items, long TotalCount);

public sealed record ElsaCancelledResponse(int Cancelled);
