using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// Starts instances: a new instance row with its input, initial variables and start activity queued, written already
/// claimed by this executor, which then runs its first bursts at once.
/// </summary>
internal sealed class WorkflowStarter<TContext>(
    IDbContextFactory<TContext> dbFactory,
    FlowchartCache cache,
    InstanceLeases<TContext> leases,
    WorkflowExecutor<TContext> executor,
    TimeProvider clock,
    IOptions<WorkflowEngineOptions> options)
    where TContext : DbContext
{
    /// <summary>
    /// A new instance of <paramref name="definition"/> with its input, initial variables and start activity queued.
    /// With <paramref name="leaseOwner"/> the caller holds it (and runs its first burst); without it the instance is
    /// free for the first executor that claims it. Throws <see cref="WorkflowStateTooLargeException"/> before anything
    /// is written when the state is over <c>Workflows:MaxStateBytes</c>.
    /// </summary>
    public (WorkflowInstanceRecord Record, InstanceState State, FlowchartDefinition Flowchart) NewInstance(
        WorkflowDefinitionRecord definition, IReadOnlyDictionary<string, object?>? input, string? correlationId, string? leaseOwner)
    {
        var flowchart = cache.Get(definition.Id, definition.DefinitionId, definition.Version, definition.Json);
        var state = new InstanceState { CorrelationId = correlationId };
        if (input is not null)
        {
            foreach (var (key, value) in input)
            {
                state.Input[key] = ValueConversion.ToNode(value);
            }
        }

        foreach (var variable in flowchart.Variables)
        {
            state.Variables[variable.Name] = InitialValue(variable);
        }

        if (flowchart.StartActivity is { } start)
        {
            state.Queue.Add(new WorkItem { ActivityId = start.Id });
        }

        var now = clock.GetUtcNow();
        var record = new WorkflowInstanceRecord
        {
            Id = clock.NewId(),
            DefinitionId = definition.DefinitionId,
            DefinitionVersionId = definition.Id,
            Version = definition.Version,
            Name = definition.Name,
            CorrelationId = correlationId,
            Status = nameof(WorkflowStatus.Running),
            SubStatus = nameof(WorkflowSubStatus.Pending),
            HasPendingWork = true,
            LeaseOwner = leaseOwner,
            LeaseExpiresAt = leaseOwner is null ? 0 : now.ToUnixTimeMilliseconds() + leases.DurationMs,
            BurstAttempts = leaseOwner is null ? 0 : 1,
            State = state.Serialize(options.Value.MaxStateBytes),
            CreatedAt = now,
            UpdatedAt = now,
        };
        return (record, state, flowchart);
    }

    public async Task<WorkflowStartResult> StartAsync(
        string definitionId,
        IReadOnlyDictionary<string, object?>? input,
        string? correlationId,
        VersionOptions? versionOptions,
        CancellationToken cancellationToken)
    {
        var wanted = versionOptions ?? VersionOptions.Published;
        WorkflowDefinitionRecord? record;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            record = await WorkflowDefinitionService<TContext>.QueryVersion(db.Set<WorkflowDefinitionRecord>().AsNoTracking(), definitionId, wanted)
                .FirstOrDefaultAsync(cancellationToken);
        }

        return record is null
            ? throw new WorkflowDefinitionNotFoundException($"No {wanted} version of workflow definition '{definitionId}' exists.")
            : await StartRecordAsync(record, input, correlationId, cancellationToken);
    }

    public async Task<WorkflowStartResult> StartVersionAsync(
        string definitionVersionId,
        IReadOnlyDictionary<string, object?>? input,
        string? correlationId,
        CancellationToken cancellationToken)
    {
        WorkflowDefinitionRecord? record;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            record = await db.Set<WorkflowDefinitionRecord>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == definitionVersionId, cancellationToken);
        }

        return record is null
            ? throw new WorkflowDefinitionNotFoundException($"Workflow definition version '{definitionVersionId}' does not exist.")
            : await StartRecordAsync(record, input, correlationId, cancellationToken);
    }

    private async Task<WorkflowStartResult> StartRecordAsync(
        WorkflowDefinitionRecord definition,
        IReadOnlyDictionary<string, object?>? input,
        string? correlationId,
        CancellationToken cancellationToken)
    {
        var token = clock.NewId();
        var (instance, state, flowchart) = NewInstance(definition, input, correlationId, token);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            db.Add(instance);
            await db.SaveChangesAsync(cancellationToken);
        }

        var held = new HeldInstance
        {
            Record = instance,
            State = state,
            Flowchart = flowchart,
            Status = WorkflowStatus.Running,
            SubStatus = WorkflowSubStatus.Pending,
            Attempts = 1,
        };
        var final = await executor.DrainHeldAsync(instance.Id, token, cancellationToken, held);
        return new WorkflowStartResult(instance.Id, final.Status, final.SubStatus);
    }

    private static JsonNode? InitialValue(VariableDefinition variable)
    {
        if (variable.Value is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return variable.Value?.DeepClone();
        }

        var text = value.GetValue<string>();
        if (variable.TypeName is "String" or null || string.IsNullOrEmpty(text))
        {
            return string.IsNullOrEmpty(text) && variable.TypeName is not "String" ? null : JsonValue.Create(text);
        }

        try
        {
            return variable.TypeName is "Boolean"
                ? JsonValue.Create(bool.Parse(text))
                : JsonNode.Parse(text);
        }
        catch (Exception exception) when (exception is JsonException or FormatException)
        {
            return JsonValue.Create(text);
        }
    }
}
