using System.Numerics;
using System.Runtime.CompilerServices;

namespace MentorFlow.Reporting.Matching;

/// <summary>
/// Candidate pruning: a linear score over the cheap pair features (<see cref="Features"/>) — the model's own linear
/// summary (<see cref="MatchModel.PrefilterWeights"/>) or, at cold start, the similarity without the statement term
/// (<see cref="ColdStart.Prefilter"/>) — computed for every (mentor, mentee) pair from flat arrays so that 25 million
/// pairs take well under a second, and the k best mentors of each mentee kept with a min-heap. Same result as
/// computing the features one pair at a time.
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
    private readonly int[] _length;
    private readonly double[] _offset;
    private readonly int[] _seniority;
    private readonly double[] _weights;

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

    public Prefilter(IReadOnlyList<PersonProfile> mentors, IReadOnlyList<double> weights)
    {
        _weights = [.. weights];
        _count = mentors.Count;
        _words = mentors.Count == 0 ? 1 : mentors[0].Interests.Length;
        _interests = new ulong[_count * _words];
        _offers = new ulong[_count * _words];
        _expertise = new ulong[_count * _words];
        _interestCount = new int[_count];
        _career = new int[_count];
        _family = new int[_count];
        _languages = new ulong[_count];
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
    public int[] Top(PersonProfile mentee, int k)
    {
        var scores = System.Buffers.ArrayPool<double>.Shared.Rent(_count);
        try
        {
            ScoreAll(mentee, scores);
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

            s += _languages[m] == 0 || mentee.Languages == 0 ? wLanguage * 0.5 : (_languages[m] & mentee.Languages) != 0 ? wLanguage : 0;
            var hours = Math.Abs(_offset[m] - mentee.UtcOffsetHours);
            hours = Math.Min(hours, 24 - hours);
            s += wZone * hours / 12;
            s += wLength * Math.Abs(_length[m] - (int)mentee.PreferredLength) / 2.0;
            var c = _communication[m];
            s += c == 0 || mentee.Communication == 0
                ? wCommunication * 0.5
                : wCommunication * BitOperations.PopCount(c & mentee.Communication) / BitOperations.PopCount(c | mentee.Communication);
            var gap = _seniority[m] - mentee.SeniorityYears;
            if (gap < 0)
            {
                s += wLessSenior;
            }

            s += wGap * Math.Clamp(gap, -10, 30) / 10.0;
            scores[m] = s;
        }
    }

    private int[] Select(double[] scores, int k)
    {
        k = Math.Min(k, _count);
        var heapScore = new double[k];
        var heapMentor = new int[k];
        var size = 0;
        for (var m = 0; m < _count; m++)
        {
            var s = scores[m];
            if (size < k)
            {
                heapScore[size] = s;
                heapMentor[size] = m;
                SiftUp(heapScore, heapMentor, size++);
            }
            else if (s > heapScore[0] || (s == heapScore[0] && m < heapMentor[0]))
            {
                heapScore[0] = s;
                heapMentor[0] = m;
                SiftDown(heapScore, heapMentor, size);
            }
        }

        return heapMentor[..size];
    }

    // Min-heap on score; among equal scores the higher mentor index is "smaller", so lower indices are kept.
    private static bool Less(double[] s, int[] m, int a, int b) => s[a] < s[b] || (s[a] == s[b] && m[a] > m[b]);

    private static void SiftUp(double[] s, int[] m, int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Less(s, m, i, parent))
            {
                break;
            }

            Swap(s, m, i, parent);
            i = parent;
        }
    }

    private static void SiftDown(double[] s, int[] m, int size)
    {
        var i = 0;
        while (true)
        {
            var left = (2 * i) + 1;
            var right = left + 1;
            var smallest = i;
            if (left < size && Less(s, m, left, smallest))
            {
                smallest = left;
            }

            if (right < size && Less(s, m, right, smallest))
            {
                smallest = right;
            }

            if (smallest == i)
            {
                return;
            }

            Swap(s, m, i, smallest);
            i = smallest;
        }
    }

    private static void Swap(double[] s, int[] m, int a, int b)
    {
        (s[a], s[b]) = (s[b], s[a]);
        (m[a], m[b]) = (m[b], m[a]);
    }
}
