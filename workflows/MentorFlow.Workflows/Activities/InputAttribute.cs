namespace MentorFlow.Workflows.Activities;

/// <summary>Describes an <see cref="Input{T}"/> property for the designer and the validator.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class InputAttribute : Attribute
{
    public string? DisplayName { get; set; }
    public string? Description { get; set; }

    /// <summary>Elsa UI hint: <c>singleline</c> (default), <c>multiline</c>, <c>checkbox</c>, <c>dropdown</c>,
    /// <c>datetime-picker</c>, <c>json-editor</c>, <c>code-editor</c>, <c>dynamic-outcomes</c>…</summary>
    public string? UIHint { get; set; }

    /// <summary>Choices for a <c>dropdown</c> input (also sets the UI hint to dropdown).</summary>
    public string[]? Options { get; set; }

    /// <summary>The syntax the designer offers first: <c>Literal</c> (default), <c>Liquid</c>, <c>JavaScript</c>, <c>Object</c>.</summary>
    public string? DefaultSyntax { get; set; }

    public string? Category { get; set; }

    /// <summary>A definition that leaves a required input empty fails validation.</summary>
    public bool Required { get; set; }

    public float Order { get; set; }

    /// <summary>Default shown in the designer (a literal, e.g. <c>"00:01:00"</c>).</summary>
    public object? DefaultValue { get; set; }

    public bool IsBrowsable { get; set; } = true;

    /// <summary>
    /// False for inputs Elsa declares as plain properties (a bare <c>true</c> in the definition, not
    /// <c>{typeName, expression}</c>), so the Studio reads and writes them bare; the engine reads either shape.
    /// </summary>
    public bool IsWrapped { get; set; } = true;

    /// <summary>
    /// Where the input's text goes, which decides how the engine encodes it: <see cref="InputContent.Html"/> for mail
    /// and invite bodies (Liquid HTML-encodes the values it inserts), <see cref="InputContent.SingleLine"/> for
    /// subjects (control characters and line breaks removed), <see cref="InputContent.PlainText"/> for plain-text
    /// messages. Default: <see cref="InputContent.Value"/> (the value as evaluated).
    /// </summary>
    public InputContent Content { get; set; } = InputContent.Value;
}
