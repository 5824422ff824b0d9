namespace MentorFlow.Workflows.Activities;

/// <summary>An activity that accepts an embedded <c>body</c> activity (Elsa's FlowNode, While, ForEach, ParallelForEach).</summary>
internal interface IBodyActivity;
