namespace MentorFlow.Workflows.Runtime;

/// <summary>The executor's lease on an instance was gone at commit: nothing of the burst is stored.</summary>
internal sealed class LeaseLostException(string instanceId)
    : Exception($"The executor lease on workflow instance {instanceId} was lost before commit; the burst is discarded.");
