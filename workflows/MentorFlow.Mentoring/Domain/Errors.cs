namespace MentorFlow.Mentoring.Domain;

/// <summary>
/// A request the domain refuses, with the failing fields named (the API maps it to an RFC 9457 problem:
/// 400 for invalid input, 404 for an unknown resource, 409 for a conflict with existing data, 503 when it cannot be
/// recorded right now and nothing was saved).
/// </summary>
public sealed class MentoringProblemException(int status, string title, IReadOnlyDictionary<string, string[]> errors)
    : Exception(title + ": " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}")))
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>
    /// What a participant reads for each message of <see cref="Errors"/> (same field, same order), where the message has
    /// participant words: the API and CSV import answer the precise <see cref="Errors"/>, the participant pages these.
    /// </summary>
    public IReadOnlyDictionary<string, ParticipantMessage?[]> ParticipantMessages { get; init; } = new Dictionary<string, ParticipantMessage?[]>();

    /// <summary>The messages of <paramref name="field"/> as a participant reads them in <paramref name="words"/>' language.</summary>
    public IEnumerable<string> ForParticipant(string field, ParticipantWords words)
    {
        var messages = Errors.GetValueOrDefault(field) ?? [];
        var spoken = ParticipantMessages.GetValueOrDefault(field) ?? [];
        return messages.Select((message, i) => i < spoken.Length && spoken[i] is { } said ? said.In(words) : message);
    }

    public static MentoringProblemException NotFound(string field, string message) =>
        new(404, "Not found", new Dictionary<string, string[]> { [field] = [message] });

    public static MentoringProblemException Conflict(string field, string message) =>
        new(409, "Conflict", new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The request is valid but cannot be recorded now (e.g. a flow it must start is not published); nothing was saved.</summary>
    public static MentoringProblemException Unavailable(string field, string message) =>
        new(503, "Service unavailable", new Dictionary<string, string[]> { [field] = [message] });

    public static MentoringProblemException Invalid(string field, string message) =>
        new(400, "One or more validation errors occurred.", new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>An invalid answer on a participant's form: <paramref name="message"/> for the API, <paramref name="said"/> for the participant.</summary>
    public static MentoringProblemException Invalid(string field, string message, ParticipantMessage said) =>
        new(400, "One or more validation errors occurred.", new Dictionary<string, string[]> { [field] = [message] })
        {
            ParticipantMessages = new Dictionary<string, ParticipantMessage?[]> { [field] = [said] },
        };
}

/// <summary>
/// A validation message in a participant's words: a <see cref="ParticipantWords"/> key (<c>Invalid.*</c>) and its
/// arguments, read in the programme's language (numbers in its culture, dates as <see cref="ParticipantWords.Date"/>).
/// </summary>
public sealed record ParticipantMessage(string Key, params object[] Arguments)
{
    public string In(ParticipantWords words) =>
        string.Format(words.Culture, words[Key], Arguments.Select(a => a is DateOnly date ? words.Date(date) : a).ToArray());
}

/// <summary>Collects field-level messages; throws them together.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ParticipantMessage?>> _said = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public int Count => _errors.Count;

    /// <summary>All messages (a field may have several).</summary>
    public int MessageCount => _errors.Values.Sum(list => list.Count);

    public void Add(string field, string message) => Add(field, message, null);

    /// <summary>A message (for the API and CSV import) and what a participant reads instead on a form.</summary>
    public void Add(string field, string message, ParticipantMessage? said)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
            _said[field] = [];
        }

        list.Add(message);
        _said[field].Add(said);
    }

    public void AddAll(FieldErrors other, Func<string, string> rename)
    {
        foreach (var (field, messages) in other._errors)
        {
            for (var i = 0; i < messages.Count; i++)
            {
                Add(rename(field), messages[i], other._said[field][i]);
            }
        }
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new MentoringProblemException(400, "One or more validation errors occurred.", ToDictionary())
            {
                ParticipantMessages = _said.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal),
            };
        }
    }
}
