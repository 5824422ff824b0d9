using System.Globalization;
using MentorFlow.Mentoring.Domain;

namespace MentorFlow.Server.Mentoring.Forms;

/// <summary>What a participant sent (to fill the form in again, nothing lost) and the problems of each field.</summary>
public sealed class FormState(IFormCollection? form = null)
{
    public static readonly FormState Empty = new();

    /// <summary>Field name → message; the page lists them in the error summary and beside each field.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public bool Posted => form is not null;

    public string? this[string name] => form is not null && form.TryGetValue(name, out var value) ? value.ToString().Trim() : null;

    /// <summary>Every field sent, in order (a field sent several times once per value), to carry through the summary step.</summary>
    public IEnumerable<(string Name, string Value)> Fields =>
        form is null ? [] : form.SelectMany(entry => entry.Value.Select(value => (entry.Key, value ?? "")));

    /// <summary>
    /// The tags of a pick-list: the options ticked and the comma-separated entries typed under "other"
    /// (<c>{name}_other</c>), trimmed, lower-cased, without repeats.
    /// </summary>
    public List<string> Picked(string name) =>
        Vocabulary.Tags(All(name).Append(this[name + "_other"] ?? "").SelectMany(value => value.Split([',', ';'])));

    /// <summary>A pick-list of one answer: what was typed under "other" (<c>{name}_other</c>), else the option chosen.</summary>
    public string? One(string name) => this[name + "_other"] is { Length: > 0 } other ? other : this[name];

    public IReadOnlyList<string> All(string name) =>
        form is not null && form.TryGetValue(name, out var values) ? values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList() : [];

    public int? Integer(string name, FieldErrors errors)
    {
        var text = this[name];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(name, $"'{text}' is not a whole number.", new("Invalid.WholeNumber"));
        return null;
    }

    public decimal? Decimal(string name, FieldErrors errors)
    {
        var text = this[name];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(name, $"'{text}' is not a number.", new("Invalid.Number"));
        return null;
    }

    public DateOnly? Date(string name, FieldErrors errors)
    {
        var text = this[name];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            return value;
        }

        errors.Add(name, $"'{text}' is not a date (YYYY-MM-DD).", new("Invalid.Date"));
        return null;
    }

    public bool? YesNo(string name) => this[name] switch { "yes" => true, "no" => false, _ => null };
}
