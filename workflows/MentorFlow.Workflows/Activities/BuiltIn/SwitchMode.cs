namespace MentorFlow.Workflows.Activities.BuiltIn;

public enum SwitchMode
{
    MatchFirst,
    MatchAny,
}
