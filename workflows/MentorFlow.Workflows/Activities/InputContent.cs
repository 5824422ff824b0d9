namespace MentorFlow.Workflows.Activities;

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
