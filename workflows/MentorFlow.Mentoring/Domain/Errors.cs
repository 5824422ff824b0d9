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

    public static MentoringProblemException NotFound(string field, string message) =>
        new(404, "Not found", new Dictionary<string, string[]> { [field] = [message] });

    public static MentoringProblemException Conflict(string field, string message) =>
        new(409, "Conflict", new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The request is valid but cannot be recorded now (e.g. a flow it must start is not published); nothing was saved.</summary>
    public static MentoringProblemException Unavailable(string field, string message) =>
        new(503, "Service unavailable", new Dictionary<string, string[]> { [field] = [message] });

    public static MentoringProblemException Invalid(string field, string message) =>
        new(400, "One or more validation errors occurred.", new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Collects field-level messages; throws them together.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public int Count => _errors.Count;

    /// <summary>All messages (a field may have several).</summary>
    public int MessageCount => _errors.Values.Sum(list => list.Count);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public void AddAll(FieldErrors other, Func<string, string> rename)
    {
        foreach (var (field, messages) in other._errors)
        {
            foreach (var message in messages)
            {
                Add(rename(field), message);
            }
        }
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new MentoringProblemException(400, "One or more validation errors occurred.", ToDictionary());
        }
    }
}
