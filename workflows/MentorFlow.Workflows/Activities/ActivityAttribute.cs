namespace MentorFlow.Workflows.Activities;

/// <summary>
/// Declares an activity type. Its type name is <c>{namespace}.{ClassName}</c> (e.g. <c>Elsa.WriteLine</c>,
/// <c>MentorFlow.SendEmail</c>); that name is what definitions reference.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ActivityAttribute(string @namespace, string category, string description) : Attribute
{
    public string Namespace { get; } = @namespace;
    public string Category { get; } = category;
    public string Description { get; } = description;

    /// <summary>Shown in the designer; defaults to the class name split into words.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Overrides the type name's last segment (defaults to the class name).</summary>
    public string? TypeNameOverride { get; set; }

    public ActivityKind Kind { get; set; } = ActivityKind.Action;

    /// <summary>The activity type version definitions reference (<c>"version": 1</c>).</summary>
    public int Version { get; set; } = 1;

    /// <summary>False hides the activity from the designer's toolbox.</summary>
    public bool IsBrowsable { get; set; } = true;
}
