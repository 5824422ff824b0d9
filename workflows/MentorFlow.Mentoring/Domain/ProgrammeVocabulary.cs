namespace MentorFlow.Mentoring.Domain;

/// <summary>
/// The terms a programme offers on its application form: interests, career paths and goals, as the manager spells
/// them ("Data science"). A participant picks from them (or writes their own under "other"); what is stored on the
/// application is the term's tag (<see cref="Vocabulary.Tags(IEnumerable{string})"/>: trimmed, lower-case), the same
/// form as a CSV import, so the matcher compares picked, typed and imported values alike.
/// </summary>
public sealed record ProgrammeVocabulary(IReadOnlyList<string> Interests, IReadOnlyList<string> CareerPaths, IReadOnlyList<string> Goals)
{
    /// <summary>The most terms one list may hold (a pick-list longer than this is no help to anyone).</summary>
    public const int MaxTerms = 200;

    /// <summary>The longest term, as for an application's tags.</summary>
    public const int MaxTermLength = 60;

    public static readonly ProgrammeVocabulary Empty = new([], [], []);

    /// <summary>The three lists with the API's field names: <c>interests</c>, <c>careerPaths</c>, <c>goals</c>.</summary>
    public IEnumerable<(string Field, IReadOnlyList<string> Terms)> Lists() =>
        [("interests", Interests), ("careerPaths", CareerPaths), ("goals", Goals)];

    /// <summary>
    /// Trims each term and checks the lists: at most <see cref="MaxTerms"/> terms of 1 to <see cref="MaxTermLength"/>
    /// characters, no separators (<c>;</c> <c>,</c>) or control characters, no two terms with the same tag. Returns
    /// the cleaned vocabulary, or throws a 400 problem naming each failing term (<c>goals[2]</c>).
    /// </summary>
    public static ProgrammeVocabulary Validate(IReadOnlyList<string?>? interests, IReadOnlyList<string?>? careerPaths, IReadOnlyList<string?>? goals)
    {
        var errors = new FieldErrors();
        var cleaned = new[] { ("interests", interests), ("careerPaths", careerPaths), ("goals", goals) }
            .Select(list => Clean(list.Item1, list.Item2, errors))
            .ToArray();
        errors.ThrowIfAny();
        return new ProgrammeVocabulary(cleaned[0], cleaned[1], cleaned[2]);
    }

    /// <summary>The tag a term is stored as on an application.</summary>
    public static string TagOf(string term) => term.Trim().ToLowerInvariant();

    private static List<string> Clean(string field, IReadOnlyList<string?>? terms, FieldErrors errors)
    {
        var result = new List<string>();
        if (terms is null)
        {
            return result;
        }

        if (terms.Count > MaxTerms)
        {
            errors.Add(field, $"At most {MaxTerms} terms per list ({terms.Count} sent).");
            return result;
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i]?.Trim() ?? "";
            var name = $"{field}[{i}]";
            if (term.Length == 0)
            {
                errors.Add(name, "A term cannot be empty.");
            }
            else if (term.Length > MaxTermLength)
            {
                errors.Add(name, $"A term must be at most {MaxTermLength} characters ({term.Length} sent).");
            }
            else if (term.IndexOfAny([';', ',']) >= 0 || term.Any(char.IsControl))
            {
                errors.Add(name, "A term cannot contain ';', ',' or control characters (they separate tags in applications.csv).");
            }
            else if (seen.TryGetValue(TagOf(term), out var first))
            {
                errors.Add(name, $"'{term}' repeats '{first}' (terms are compared without case).");
            }
            else
            {
                seen[TagOf(term)] = term;
                result.Add(term);
            }
        }

        return result;
    }
}
