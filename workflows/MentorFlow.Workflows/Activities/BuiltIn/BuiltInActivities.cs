namespace MentorFlow.Workflows.Activities.BuiltIn;

/// <summary>The activities every engine has, under Elsa 3's type names and ports.</summary>
public static class BuiltInActivities
{
    public static IReadOnlyList<Type> Types { get; } =
    [
        typeof(Start), typeof(End), typeof(Finish), typeof(Complete), typeof(Fault), typeof(WriteLine),
        typeof(SetVariable), typeof(FlowDecision), typeof(FlowSwitch), typeof(FlowFork), typeof(FlowJoin), typeof(ForEach),
        typeof(Delay), typeof(StartAt), typeof(Timer), typeof(Cron), typeof(Event), typeof(WaitForSignal),
        typeof(FlowNode), typeof(While), typeof(Break), typeof(ParallelForEach), typeof(SetName), typeof(Correlate), typeof(RunJavaScript),
        typeof(ExecuteWorkflow), typeof(DispatchWorkflow), typeof(SetOutput), typeof(RunTask),
        typeof(Http.SendHttpRequest), typeof(Http.FlowSendHttpRequest), typeof(Http.HttpEndpoint), typeof(Http.WriteHttpResponse),
    ];
}
