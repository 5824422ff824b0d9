namespace MentorFlow.Workflows.Activities;

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
