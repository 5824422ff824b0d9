namespace MentorFlow.Workflows.Persistence;

/// <summary>What <see cref="WorkflowErasure.EraseAsync"/> did.</summary>
/// <param name="Cancelled">Ids of the running instances that were cancelled (they run no further step).</param>
/// <param name="Cleared">Ids of the instances whose state, journal and incidents were cleared (the cancelled ones and finished ones about the person).</param>
/// <param name="Scrubbed">Ids of other instances in which the person's values were replaced (they keep running).</param>
public sealed record WorkflowErasureResult(IReadOnlyList<string> Cancelled, IReadOnlyList<string> Cleared, IReadOnlyList<string> Scrubbed);
