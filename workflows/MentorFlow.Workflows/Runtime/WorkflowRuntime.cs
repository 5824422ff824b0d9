using MentorFlow.Workflows.Definitions;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// The engine's public face (<see cref="IWorkflowRuntime"/>, <see cref="IWorkflowEngineMaintenance"/>): each call is
/// handed to the part that does that job (starting, commands, queries, timers, recovery).
/// </summary>
internal sealed class WorkflowRuntime<TContext>(
    WorkflowStarter<TContext> starter,
    InstanceCommands<TContext> commands,
    InstanceQueries<TContext> queries,
    TimerFiring<TContext> timers,
    InstanceRecovery<TContext> recovery) : IWorkflowRuntime, IWorkflowEngineMaintenance
    where TContext : DbContext
{
    public Task<WorkflowStartResult> StartAsync(
        string definitionId,
        IReadOnlyDictionary<string, object?>? input = null,
        string? correlationId = null,
        VersionOptions? versionOptions = null,
        CancellationToken cancellationToken = default) =>
        starter.StartAsync(definitionId, input, correlationId, versionOptions, cancellationToken);

    public Task<WorkflowStartResult> StartVersionAsync(
        string definitionVersionId,
        IReadOnlyDictionary<string, object?>? input = null,
        string? correlationId = null,
        CancellationToken cancellationToken = default) =>
        starter.StartVersionAsync(definitionVersionId, input, correlationId, cancellationToken);

    public Task<int> SignalAsync(string name, string? correlationId = null, object? payload = null, CancellationToken cancellationToken = default) =>
        commands.SignalAsync(name, correlationId, payload, cancellationToken);

    public Task<bool> CancelAsync(string instanceId, CancellationToken cancellationToken = default) =>
        commands.CancelAsync(instanceId, cancellationToken);

    public Task<bool> RetryIncidentAsync(string incidentId, CancellationToken cancellationToken = default) =>
        commands.RetryIncidentAsync(incidentId, cancellationToken);

    public Task<bool> DeleteInstanceAsync(string instanceId, CancellationToken cancellationToken = default) =>
        commands.DeleteInstanceAsync(instanceId, cancellationToken);

    public Task<WorkflowInstanceDetails?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default) =>
        queries.GetInstanceAsync(instanceId, cancellationToken);

    public Task<PagedResult<WorkflowInstanceSummary>> ListInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default) =>
        queries.ListInstancesAsync(query, cancellationToken);

    public Task<int> RecoverAsync(CancellationToken cancellationToken = default) => recovery.RecoverAsync(cancellationToken);

    public Task<int> FireDueTimersAsync(CancellationToken cancellationToken = default) => timers.FireDueAsync(cancellationToken);

    public Task<bool> FireTimerAsync(string bookmarkId, CancellationToken cancellationToken = default) => timers.FireAsync(bookmarkId, cancellationToken);

    public Task<IReadOnlyList<(string Id, string InstanceId, DateTimeOffset DueAt)>> ListTimersDueBeforeAsync(DateTimeOffset until, int max, CancellationToken cancellationToken = default) =>
        timers.ListDueBeforeAsync(until, max, cancellationToken);
}
