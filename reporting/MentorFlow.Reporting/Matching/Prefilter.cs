using System.Numerics;
using System.Runtime.CompilerServices;

namespace MentorFlow.Reporting.Matching;

/// <summary>
/// Candidate pruning: a linear score over the cheap pair features (<see cref="Features"/>) — the model's own linear
/// summary (<see cref="MatchModel.PrefilterWeights"/>) or, at cold start, the similarity without the statement term
/// (<see cref="ColdStart.Prefilter"/>) — plus an offset per mentor (what the model sees in a mentor whatever the
/// mentee: time to give, seniority, anything the cheap features miss), computed for every (mentor, mentee) pair from
/// flat arrays so that 25 million pairs take well under a second, and the k best mentors of each mentee kept with a
/// min-heap. Same result as computing the features one pair at a time.
/// </summary>
internal sealed class Prefilter
{
    private readonly int _words;
    private readonly int _count;
    private readonly ulong[] _interests;
    private readonly ulong[] _offers;
    private readonly ulong[] _expertise;
    private readonly int[] _interestCount;
    private readonly int[] _career;
    private readonly int[] _family;
    private readonly ulong[] _languages;
    private readonly uint[] _communication;
    private readonly PersonProfile[] _profiles;
    private readonly int[] _length;
    private readonly double[] _offset;
    private readonly int[] _seniority;
    private readonly double[] _weights;
    private readonly double[] _mentorOffsets;

    /// <summary>The features the pre-filter computes (the weights of any other feature are ignored).</summary>
    public static readonly IReadOnlyList<int> Features =
    [
        PairFeatures.InterestCoverage, PairFeatures.InterestOverlap, PairFeatures.GoalCoverage, PairFeatures.ExpertiseMatch,
        PairFeatures.SameCareerPath, PairFeatures.SwitchTarget, PairFeatures.SameCareerFamily, PairFeatures.SharedLanguage,
        PairFeatures.TimeZoneDistance, PairFeatures.LengthDistance, PairFeatures.CommunicationOverlap, PairFeatures.MentorLessSenior,
        PairFeatures.SeniorityGap,
    ];

    /// <summary>The cold-start similarity as pre-filter weights (distances count negatively; same ranking).</summary>
    public static double[] ColdStartWeights()
    {
        var weights = new double[PairFeatures.Count];
        foreach (var (feature, weight) in ColdStart.Weights)
        {
            weights[feature] = feature is PairFeatures.TimeZoneDistance or PairFeatures.LengthDistance ? -weight : weight;
        }

        weights[PairFeatures.StatementSimilarity] = 0;
        weights[PairFeatures.MentorLessSenior] = -ColdStart.LessSeniorPenalty;
        return weights;
    }

    /// <param name="mentors">The cohort's mentors.</param>
    /// <param name="weights">Weight of each pair feature (<see cref="Features"/> only are read).</param>
    /// <param name="mentorOffsets">
    /// Added to every score of a mentor (one per mentor; none → 0): what the model sees in a mentor whatever the mentee
    /// (<see cref="ScoredCohort"/> measures it on a sample of mentees).
    /// </param>
    public Prefilter(IReadOnlyList<PersonProfile> mentors, IReadOnlyList<double> weights, IReadOnlyList<double>? mentorOffsets = null)
    {
        if (mentorOffsets is not null && mentorOffsets.Count != mentors.Count)
        {
            throw new ArgumentException($"{mentorOffsets.Count} mentor offsets for {mentors.Count} mentors", nameof(mentorOffsets));
        }

        _weights = [.. weights];
        _mentorOffsets = mentorOffsets is null ? new double[mentors.Count] : [.. mentorOffsets];
        _count = mentors.Count;
        _words = mentors.Count == 0 ? 1 : mentors[0].Interests.Length;
        _interests = new ulong[_count * _words];
        _offers = new ulong[_count * _words];
        _expertise = new ulong[_count * _words];
        _interestCount = new int[_count];
        _career = new int[_count];
        _family = new int[_count];
        _languages = new ulong[_count];
        _profiles = [.. mentors];
        _communication = new uint[_count];
        _length = new int[_count];
        _offset = new double[_count];
        _seniority = new int[_count];
        for (var m = 0; m < _count; m++)
        {
            var p = mentors[m];
            p.Interests.CopyTo(_interests, m * _words);
            p.Offers.CopyTo(_offers, m * _words);
            p.Expertise.CopyTo(_expertise, m * _words);
            _interestCount[m] = p.InterestCount;
            _career[m] = p.CareerPath;
            _family[m] = p.CareerFamily;
            _languages[m] = p.Languages;
            _communication[m] = p.Communication;
            _length[m] = (int)p.PreferredLength;
            _offset[m] = p.UtcOffsetHours;
            _seniority[m] = p.SeniorityYears;
        }
    }

    /// <summary>The indices of the k mentors with the highest pre-filter score for this mentee (ties → lower index; in no particular order).</summary>
    public int[] Top(PersonProfile mentee, int k) => Top(mentee, k, -1, null);

    /// <summary>
    /// As <see cref="Top(PersonProfile, int)"/>, and offers the mentee (as <paramref name="menteeIndex"/>) with its score
    /// to each mentor's keeper of its best mentees (<paramref name="mentorBest"/>, one per mentor).
    /// </summary>
    public int[] Top(PersonProfile mentee, int k, int menteeIndex, TopKeeper[]? mentorBest)
    {
        var scores = System.Buffers.ArrayPool<double>.Shared.Rent(_count);
        try
        {
            ScoreAll(mentee, scores);
            if (mentorBest is not null)
            {
                for (var m = 0; m < _count; m++)
                {
                    mentorBest[m].Offer(scores[m], menteeIndex);
                }
            }

            return Select(scores, k);
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(scores);
        }
    }

    /// <summary>The pre-filter score of every mentor for the mentee, into <paramref name="scores"/> (length ≥ mentors).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ScoreAll(PersonProfile mentee, Span<double> scores)
    {
        var w = _weights;
        double wCoverage = w[PairFeatures.InterestCoverage], wOverlap = w[PairFeatures.InterestOverlap], wGoals = w[PairFeatures.GoalCoverage];
        double wSame = w[PairFeatures.SameCareerPath], wSwitch = w[PairFeatures.SwitchTarget], wFamily = w[PairFeatures.SameCareerFamily];
        double wExpertise = w[PairFeatures.ExpertiseMatch], wLanguage = w[PairFeatures.SharedLanguage], wZone = w[PairFeatures.TimeZoneDistance];
        double wLength = w[PairFeatures.LengthDistance], wCommunication = w[PairFeatures.CommunicationOverlap];
        double wLessSenior = w[PairFeatures.MentorLessSenior], wGap = w[PairFeatures.SeniorityGap];
        var words = _words;
        var interests = mentee.Interests;
        var goals = mentee.Goals;
        var wants = mentee.Wants;
        double interestCount = mentee.InterestCount, goalCount = mentee.GoalCount, wantCount = mentee.WantCount;
        for (var m = 0; m < _count; m++)
        {
            var at = m * words;
            int shared = 0, covered = 0, expert = 0;
            for (var i = 0; i < words; i++)
            {
                shared += BitOperations.PopCount(_interests[at + i] & interests[i]);
                covered += BitOperations.PopCount(_offers[at + i] & goals[i]);
                expert += BitOperations.PopCount(_expertise[at + i] & wants[i]);
            }

            var s = 0.0;
            if (interestCount > 0)
            {
                s += wCoverage * shared / interestCount;
            }

            var union = _interestCount[m] + interestCount - shared;
            if (union > 0)
            {
                s += wOverlap * shared / union;
            }

            if (goalCount > 0)
            {
                s += wGoals * covered / goalCount;
            }

            if (wantCount > 0)
            {
                s += wExpertise * expert / wantCount;
            }

            var career = _career[m];
            if (career == mentee.CareerPath)
            {
                s += wSame;
            }
            else if (Bits.Contains(goals, career))
            {
                s += wSwitch;
            }

            if (_family[m] == mentee.CareerFamily)
            {
                s += wFamily;
            }

            s += _languages[m] == 0 || mentee.Languages == 0
                ? wLanguage * Imputation.LanguageShare(_profiles[m], mentee)
                : (_languages[m] & mentee.Languages) != 0 ? wLanguage : 0;
            var hours = Math.Abs(_offset[m] - mentee.UtcOffsetHours);
            hours = Math.Min(hours, 24 - hours);
            s += wZone * hours / 12;
            s += wLength * Math.Abs(_length[m] - (int)mentee.PreferredLength) / 2.0;
            var c = _communication[m];
            s += c == 0 || mentee.Communication == 0
                ? wCommunication * mentee.Imputed.Channels(c, mentee.Communication).Overlap
                : wCommunication * BitOperations.PopCount(c & mentee.Communication) / BitOperations.PopCount(c | mentee.Communication);
            var gap = _seniority[m] - mentee.SeniorityYears;
            if (gap < 0)
            {
                s += wLessSenior;
            }

            s += wGap * Math.Clamp(gap, -10, 30) / 10.0;
            scores[m] = s + _mentorOffsets[m];
        }
    }

    private int[] Select(double[] scores, int k)
    {
        var best = new TopKeeper(Math.Min(k, _count));
        for (var m = 0; m < _count; m++)
        {
            best.Offer(scores[m], m);
        }

        return best.Items();
    }
}

/// <summary>
/// The k items with the highest scores seen so far (a min-heap); among equal scores lower ids are kept. Items come out
/// in no particular order.
/// </summary>
internal sealed class TopKeeper(int k)
{
    private readonly double[] _score = new double[Math.Max(0, k)];
    private readonly int[] _id = new int[Math.Max(0, k)];
    private int _size;

    public int Count => _size;

    public void Offer(double score, int id)
    {
        if (_size < _score.Length)
        {
            _score[_size] = score;
            _id[_size] = id;
            SiftUp(_size++);
        }
        else if (_size > 0 && (score > _score[0] || (score == _score[0] && id < _id[0])))
        {
            _score[0] = score;
            _id[0] = id;
            SiftDown();
        }
    }

    /// <summary>Offers every item another keeper holds.</summary>
    public void Merge(TopKeeper other)
    {
        for (var i = 0; i < other._size; i++)
        {
            Offer(other._score[i], other._id[i]);
        }
    }

    public int[] Items() => _id[.._size];

    // Min-heap on score; among equal scores the higher id is "smaller", so lower ids are kept.
    private bool Less(int a, int b) => _score[a] < _score[b] || (_score[a] == _score[b] && _id[a] > _id[b]);

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Less(i, parent))
            {
                break;
            }

            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown()
    {
        var i = 0;
        while (true)
        {
            var left = (2 * i) + 1;
            var right = left + 1;
            var smallest = i;
            if (left < _size && Less(left, smallest))
            {
                smallest = left;
            }

            if (right < _size && Less(right, smallest))
            {
                smallest = right;
            }

            if (smallest == i)
            {
                return;
            }

            Swap(i, smallest);
            i = smallest;
        }
    }

    private void Swap(int a, int b)
    {
        (_score[a], _score[b]) = (_score[b], _score[a]);
        (_id[a], _id[b]) = (_id[b], _id[a]);
    }
}
