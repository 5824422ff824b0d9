namespace MentorFlow.Workflows.Descriptors;

/// <summary>One activity class registered with <c>services.AddActivity&lt;T&gt;()</c>.</summary>
public sealed record ActivityRegistration(Type ActivityType);
