using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Workflows.Runtime;

/// <summary>A burst that ran in memory and waits to be committed (alone or with others in one transaction).</summary>
internal sealed class RanBurst : IAsyncDisposable
{
    public required HeldInstance Held { get; init; }
    public required string Token { get; init; }
    public required string? CommandId { get; init; }
    public required string? ResolvedIncident { get; init; }
    public required AsyncServiceScope Scope { get; init; }
    public required BurstContext Burst { get; init; }
    public required WorkflowStatus Status { get; init; }
    public required WorkflowSubStatus SubStatus { get; init; }
    public required string Json { get; init; }
    public required DateTimeOffset Now { get; init; }
    public bool Ended => Status == WorkflowStatus.Finished && SubStatus != WorkflowSubStatus.Faulted;
    public bool Faulted => SubStatus == WorkflowSubStatus.Faulted;
    public bool HasPending => Held.State.Queue.Count > 0 && Held.State.Fault is null;
    public bool Released { get; set; }

    public ValueTask DisposeAsync() => Scope.DisposeAsync();
}
