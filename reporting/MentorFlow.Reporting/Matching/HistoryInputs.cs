using MentorFlow.Reporting.Data;

namespace MentorFlow.Reporting.Matching;

/// <summary>
/// The model inputs of a training history's pairs (<see cref="ModelInputs"/>), one row per past pair, held once: the
/// pair features are computed when the rows are made, and the goal indicators of a vocabulary are written into the same
/// rows when it is asked for (<see cref="For"/>), so that the vocabularies the goal-group search tries
/// (<see cref="GoalGroups"/>) cost no copy of the rows (on 100,000 past pairs a copy is ~37 MB, and the search tried
/// up to twenty). A mentee's indicators depend on their goals only: they are worked out once per distinct set of goals.
/// </summary>
internal sealed class HistoryInputs
{
    private readonly float[][] _rows;
    private readonly int[] _goalSet;
    private readonly PersonProfile[] _setMentee;
    private IReadOnlyList<string>? _vocabulary;

    /// <summary>
    /// The rows of a history's outcomes, in order: each person's profile is made once, in the space of the whole history
    /// (<see cref="ProfileSpace"/>), and let go once the rows are made (on 100,000 past pairs the profiles are ~100 MB
    /// that training does not read again).
    /// </summary>
    public static HistoryInputs Of(IReadOnlyList<Application> history, IReadOnlyList<Outcome> outcomes)
    {
        var space = new ProfileSpace(history);
        var byId = history.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var profiles = new Dictionary<string, PersonProfile>(StringComparer.Ordinal);
        PersonProfile Profile(string id) =>
            profiles.TryGetValue(id, out var profile) ? profile : profiles[id] = space.Profile(byId[id]);
        return new HistoryInputs([.. outcomes.Select(o => (Profile(o.MentorId), Profile(o.MenteeId)))]);
    }

    /// <summary>The rows of these pairs (mentor, mentee), in order, with no goal indicator on until <see cref="For"/>.</summary>
    public HistoryInputs(IReadOnlyList<(PersonProfile Mentor, PersonProfile Mentee)> pairs)
    {
        _rows = new float[pairs.Count][];
        _goalSet = new int[pairs.Count];
        var sets = new Dictionary<string, int>(StringComparer.Ordinal);
        var mentees = new List<PersonProfile>();
        for (var i = 0; i < pairs.Count; i++)
        {
            var (mentor, mentee) = pairs[i];
            _rows[i] = ModelInputs.Of(mentor, mentee, ReadOnlySpan<float>.Empty);
            var key = string.Join(GoalGroups.Separator, mentee.Application.Goals);
            if (!sets.TryGetValue(key, out var set))
            {
                sets[key] = set = mentees.Count;
                mentees.Add(mentee);
            }

            _goalSet[i] = set;
        }

        _setMentee = [.. mentees];
    }

    /// <summary>
    /// The rows with the goal indicators of <paramref name="vocabulary"/> (<see cref="ModelInputs.GoalIndicatorsOf"/>).
    /// The rows are shared: asking for another vocabulary rewrites the indicators of rows returned before, so a caller
    /// reads one vocabulary's rows at a time.
    /// </summary>
    public IReadOnlyList<float[]> For(IReadOnlyList<string> vocabulary)
    {
        if (_vocabulary is not null && _vocabulary.SequenceEqual(vocabulary, StringComparer.Ordinal))
        {
            return _rows;
        }

        var indicators = _setMentee.Select(mentee => ModelInputs.GoalIndicatorsOf(mentee, vocabulary)).ToArray();
        for (var i = 0; i < _rows.Length; i++)
        {
            indicators[_goalSet[i]].CopyTo(_rows[i].AsSpan(PairFeatures.Count));
        }

        _vocabulary = [.. vocabulary];
        return _rows;
    }
}
