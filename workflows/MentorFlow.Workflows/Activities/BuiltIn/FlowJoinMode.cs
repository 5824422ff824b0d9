namespace MentorFlow.Workflows.Activities.BuiltIn;

public enum FlowJoinMode
{
    WaitAny,
    WaitAll,
}
