using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Persistence;

namespace MentorFlow.Workflows.Runtime;

/// <summary>What the executor holds in memory while it owns the lease (it is exactly what was last committed).</summary>
internal sealed class HeldInstance
{
    public required WorkflowInstanceRecord Record { get; init; }
    public required InstanceState State { get; set; }
    public required FlowchartDefinition? Flowchart { get; init; }
    public WorkflowStatus Status { get; set; }
    public WorkflowSubStatus SubStatus { get; set; }

    /// <summary>Claims since the last commit (this executor's included); 0 once a burst of this drain committed.</summary>
    public int Attempts { get; set; }
}
