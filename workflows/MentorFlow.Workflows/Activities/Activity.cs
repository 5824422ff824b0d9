using System.Text.Json;

namespace MentorFlow.Workflows.Activities;

/// <summary>
/// Base class of every workflow activity: one small class per activity, typed <see cref="Input{T}"/> properties,
/// <see cref="Output{T}"/> properties and named outcome ports (<see cref="OutcomesAttribute"/>, default <c>Done</c>).
/// The engine creates a fresh instance per execution (constructor parameters come from dependency injection) and
/// binds the inputs from the definition JSON before calling <see cref="ExecuteAsync"/>.
/// </summary>
public abstract class Activity
{
    /// <summary>
    /// Runs the activity. Finish with <see cref="ActivityExecutionContext.Complete"/> (or return without calling it
    /// to complete with the default outcome), or call <see cref="ActivityExecutionContext.CreateBookmark"/> to wait.
    /// Throwing faults the activity: the instance gets an incident that can be retried from this activity.
    /// </summary>
    protected abstract ValueTask ExecuteAsync(ActivityExecutionContext context);

    /// <summary>
    /// Called when one of this activity's bookmarks is resumed (by a signal or when its due time is reached).
    /// <see cref="ActivityExecutionContext.ResumedBookmark"/> names the bookmark. The default completes with the
    /// default outcome. Create a new bookmark here to keep waiting (e.g. a recurring timer).
    /// </summary>
    protected virtual ValueTask ResumeAsync(ActivityExecutionContext context, JsonElement? payload)
    {
        context.Complete();
        return ValueTask.CompletedTask;
    }

    internal ValueTask InvokeExecuteAsync(ActivityExecutionContext context) => ExecuteAsync(context);

    internal ValueTask InvokeResumeAsync(ActivityExecutionContext context, JsonElement? payload) => ResumeAsync(context, payload);
}

/// <summary>What kind of node an activity is in the designer (Elsa's <c>ActivityKind</c>).</summary>
public enum ActivityKind
{
    Action,
    Trigger,
    Task,
    Job,
}

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

/// <summary>The named outcome ports of an activity (flow ports in the designer). Default: a single <c>Done</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OutcomesAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}

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
    /// Where the input's text goes, which decides how the engine encodes it: <see cref="InputContent.Html"/> for mail
    /// and invite bodies (Liquid HTML-encodes the values it inserts), <see cref="InputContent.SingleLine"/> for
    /// subjects (control characters and line breaks removed), <see cref="InputContent.PlainText"/> for plain-text
    /// messages. Default: <see cref="InputContent.Value"/> (the value as evaluated).
    /// </summary>
    public InputContent Content { get; set; } = InputContent.Value;
}

/// <summary>
/// The context an input's text ends up in. The engine honours it for every expression syntax: Liquid in an
/// <see cref="Html"/> input renders with an HTML encoder (values from data are encoded, the template's own markup is
/// kept, <c>| raw</c> opts a trusted value out); <see cref="SingleLine"/> and <see cref="PlainText"/> results are never
/// HTML-encoded but lose the control characters that could break out of a header or a line.
/// </summary>
public enum InputContent
{
    /// <summary>A value (an id, an address list, a number): used as evaluated.</summary>
    Value,

    /// <summary>HTML (mail and invite bodies, pages): Liquid encodes what it inserts.</summary>
    Html,

    /// <summary>Plain text that may span lines (e.g. a cancellation message): control characters other than line
    /// breaks and tabs are removed, line breaks become <c>\n</c>.</summary>
    PlainText,

    /// <summary>One line (subjects, locations, headers): line breaks become a space, other control characters are removed.</summary>
    SingleLine,
}

/// <summary>Cleans text for a <see cref="InputContent.SingleLine"/> or <see cref="InputContent.PlainText"/> destination.</summary>
public static class InputText
{
    /// <summary>Applies the cleaning <paramref name="content"/> asks for (HTML and values are returned unchanged).</summary>
    public static string Clean(string text, InputContent content) => content switch
    {
        InputContent.SingleLine => SingleLine(text),
        InputContent.PlainText => PlainText(text),
        _ => text,
    };

    /// <summary>
    /// One line: each run of line breaks (CR, LF, NEL, U+2028, U+2029) and tabs becomes one space; other control
    /// characters are removed. <c>"Hello\r\nBcc: x@evil.example"</c> becomes <c>"Hello Bcc: x@evil.example"</c>.
    /// </summary>
    public static string SingleLine(string text)
    {
        if (!NeedsCleaning(text, keepLineBreaks: false))
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length);
        var inBreak = false;
        foreach (var c in text)
        {
            if (IsBreak(c) || c == '\t')
            {
                if (!inBreak)
                {
                    builder.Append(' ');
                    inBreak = true;
                }

                continue;
            }

            inBreak = false;
            if (!char.IsControl(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Plain text: CRLF, CR, NEL, U+2028 and U+2029 become LF; tabs stay; other control characters are removed.</summary>
    public static string PlainText(string text)
    {
        if (!NeedsCleaning(text, keepLineBreaks: true))
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                builder.Append('\n');
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
            }
            else if (IsBreak(c))
            {
                builder.Append('\n');
            }
            else if (c == '\t' || !char.IsControl(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool IsBreak(char c) => c is '\r' or '\n' or '\u0085' or '\u2028' or '\u2029';

    private static bool NeedsCleaning(string text, bool keepLineBreaks)
    {
        foreach (var c in text)
        {
            var clean = keepLineBreaks ? c is '\n' or '\t' || !(char.IsControl(c) || IsBreak(c)) : !(char.IsControl(c) || IsBreak(c));
            if (!clean)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Describes an <see cref="Output{T}"/> property for the designer.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OutputAttribute : Attribute
{
    public string? DisplayName { get; set; }
    public string? Description { get; set; }
}

/// <summary>Expression syntaxes the engine evaluates.</summary>
public static class ExpressionSyntax
{
    public const string Literal = "Literal";
    public const string Variable = "Variable";
    public const string Object = "Object";
    public const string Liquid = "Liquid";
    public const string JavaScript = "JavaScript";

    public static IReadOnlyList<string> All { get; } = [Literal, Variable, Object, Liquid, JavaScript];
}

/// <summary>An expression as stored in a definition: <c>{"type":"Liquid","value":"Hello {{ Name }}"}</c>.</summary>
public sealed record WorkflowExpression(string Type, string? Value)
{
    public static WorkflowExpression Literal(string? value) => new(ExpressionSyntax.Literal, value);
    public static WorkflowExpression Liquid(string template) => new(ExpressionSyntax.Liquid, template);
    public static WorkflowExpression JavaScript(string script) => new(ExpressionSyntax.JavaScript, script);
    public static WorkflowExpression Variable(string name) => new(ExpressionSyntax.Variable, name);
    public static WorkflowExpression Object(string json) => new(ExpressionSyntax.Object, json);
}

/// <summary>Non-generic view of an input, used by the engine.</summary>
public interface IInput
{
    WorkflowExpression? Expression { get; }
    bool HasLiteral { get; }
    object? LiteralValue { get; }
    Type ValueType { get; }
}

/// <summary>
/// A typed activity input: a literal (<c>new Input&lt;string&gt;("Hello")</c>) or an expression evaluated when the
/// activity runs (<c>new Input&lt;string&gt;(WorkflowExpression.Liquid("Hi {{ Name }}"))</c>). Read it with
/// <see cref="ActivityExecutionContext.EvaluateAsync{T}"/> or <see cref="ActivityExecutionContext.Get{T}"/>.
/// </summary>
public sealed class Input<T> : IInput
{
    public Input(T literal)
    {
        Literal = literal;
        HasLiteral = true;
    }

    public Input(WorkflowExpression expression) => Expression = expression;

    public T? Literal { get; }
    public bool HasLiteral { get; }
    public WorkflowExpression? Expression { get; }
    object? IInput.LiteralValue => Literal;
    Type IInput.ValueType => typeof(T);

    public static implicit operator Input<T>(T literal) => new(literal);
}

/// <summary>Non-generic view of an output, used by the engine.</summary>
public interface IOutput
{
    /// <summary>The workflow variable (id or name) the designer bound this output to, if any.</summary>
    string? MemoryReference { get; }
    Type ValueType { get; }
}

/// <summary>
/// A typed activity output. Set it with <see cref="ActivityExecutionContext.Set{T}"/>: the value is kept as the
/// activity's output (reachable from later expressions) and, when the designer bound the output to a variable
/// (<c>memoryReference</c>), written to that variable.
/// </summary>
public sealed class Output<T> : IOutput
{
    public Output()
    {
    }

    public Output(string? memoryReference) => MemoryReference = memoryReference;

    public string? MemoryReference { get; }
    Type IOutput.ValueType => typeof(T);
}
