using System.Globalization;
using Google.OrTools.Graph;

namespace MentorFlow.Reporting.Matching;

/// <summary>
/// Assigns mentees to mentors under capacity, maximising the total predicted success: a min-cost flow
/// (Google OR-Tools) over the candidate pairs scoring at least the minimum, with pinned pairs fixed and forbidden
/// pairs removed. Every mentee may stay unmatched, so no pair below the minimum is ever forced.
/// </summary>
public static class Assigner
{
    /// <summary>Scores are scaled to integer costs with this factor (OR-Tools flows use 64-bit integers).</summary>
    public const double CostScale = 1_000_000;

    public static Assignment Assign(ScoredCohort scores, AssignmentOptions? options = null)
    {
        var requested = options ?? new AssignmentOptions();
        options = Effective(scores, requested);
        var (capacity, pinned, forbidden) = Constraints(scores, options);
        var arcs = new List<(int Mentor, int Mentee, double Score)>();
        for (var e = 0; e < scores.Mentees.Count; e++)
        {
            if (pinned.ContainsKey(e))
            {
                continue;
            }

            foreach (var c in scores.CandidatesOf(e))
            {
                if (c.Score >= options.MinScore && capacity[c.Mentor] > 0 && !forbidden.Contains((c.Mentor, e)))
                {
                    arcs.Add((c.Mentor, e, c.Score));
                }
            }
        }

        var mentorOf = Solve(capacity, scores.Mentees.Count, arcs);
        if (scores.Method == ScoringMethod.ColdStartSimilarity)
        {
            FillCapacity(scores, mentorOf, capacity, pinned, forbidden);
        }
        else if (WeakFloor(scores, options) is { } floor)
        {
            MatchAboveBaseRate(scores, mentorOf, capacity, pinned, forbidden, floor);
        }

        return Result(scores, options, mentorOf, pinned, forbidden, requested.MinScore);
    }

    /// <summary>
    /// Cold start: a mentee the flow left unmatched (every pre-filtered candidate was full) takes the best-scoring
    /// mentor that still has room, so no mentee stays unmatched while a mentor who is not forbidden has room.
    /// </summary>
    private static void FillCapacity(ScoredCohort scores, int[] mentorOf, int[] capacity, Dictionary<int, int> pinned, HashSet<(int, int)> forbidden)
    {
        var left = capacity.ToArray();
        foreach (var mentor in mentorOf.Where(m => m >= 0))
        {
            left[mentor]--;
        }

        for (var e = 0; e < mentorOf.Length; e++)
        {
            if (mentorOf[e] >= 0 || pinned.ContainsKey(e))
            {
                continue;
            }

            var best = -1;
            var bestScore = double.NegativeInfinity;
            for (var m = 0; m < left.Length; m++)
            {
                if (left[m] > 0 && !forbidden.Contains((m, e)) && scores.Score(m, e) is var s && s > bestScore)
                {
                    (best, bestScore) = (m, s);
                }
            }

            if (best >= 0)
            {
                mentorOf[e] = best;
                left[best]--;
            }
        }
    }

    /// <summary>
    /// The base rate under which no weak pair is proposed, when <see cref="AssignmentOptions.WeakMatchesAboveBaseRate"/>
    /// applies (a learned model whose programme's base rate is under the minimum score); null otherwise.
    /// </summary>
    public static double? WeakFloor(ScoredCohort scores, AssignmentOptions options) =>
        options.WeakMatchesAboveBaseRate && scores.Method == ScoringMethod.LearnedModel && scores.Model?.Evaluation?.BaseRate is { } rate
            && rate < options.MinScore ? rate : null;

    /// <summary>
    /// Low base rate: the mentees the flow left unmatched (every candidate under the minimum, or full) are assigned,
    /// by a second flow over the capacity still free, among their candidates scoring at least <paramref name="floor"/>.
    /// The pairs of the first flow stay as they are.
    /// </summary>
    private static void MatchAboveBaseRate(
        ScoredCohort scores, int[] mentorOf, int[] capacity, Dictionary<int, int> pinned, HashSet<(int, int)> forbidden, double floor)
    {
        var left = capacity.ToArray();
        foreach (var mentor in mentorOf.Where(m => m >= 0))
        {
            left[mentor]--;
        }

        var arcs = new List<(int Mentor, int Mentee, double Score)>();
        for (var e = 0; e < mentorOf.Length; e++)
        {
            if (mentorOf[e] >= 0 || pinned.ContainsKey(e))
            {
                continue;
            }

            foreach (var c in scores.CandidatesOf(e))
            {
                if (c.Score >= floor && left[c.Mentor] > 0 && !forbidden.Contains((c.Mentor, e)))
                {
                    arcs.Add((c.Mentor, e, c.Score));
                }
            }
        }

        var weak = Solve(left, mentorOf.Length, arcs);
        for (var e = 0; e < weak.Length; e++)
        {
            if (weak[e] >= 0)
            {
                mentorOf[e] = weak[e];
            }
        }
    }

    /// <summary>Baseline: take pairs in decreasing score order while the mentee is free and the mentor has room.</summary>
    public static Assignment Greedy(ScoredCohort scores, AssignmentOptions? options = null)
    {
        options = Effective(scores, options ?? new AssignmentOptions());
        var (capacity, pinned, forbidden) = Constraints(scores, options);
        var mentorOf = Enumerable.Repeat(-1, scores.Mentees.Count).ToArray();
        var arcs = new List<(int Mentor, int Mentee, double Score)>();
        for (var e = 0; e < scores.Mentees.Count; e++)
        {
            if (!pinned.ContainsKey(e))
            {
                var lowest = Math.Min(options.MinScore, WeakFloor(scores, options) ?? options.MinScore);
                arcs.AddRange(scores.CandidatesOf(e).Where(c => c.Score >= lowest && !forbidden.Contains((c.Mentor, e))).Select(c => (c.Mentor, e, c.Score)));
            }
        }

        // Two passes when weak pairs above the base rate are proposed: first every pair at or above the minimum, then
        // the pairs between the base rate and the minimum for mentees still free.
        var floor = WeakFloor(scores, options);
        foreach (var threshold in floor is { } f ? new[] { options.MinScore, f } : [options.MinScore])
        {
            foreach (var (mentor, mentee, _) in arcs.Where(a => a.Score >= threshold).OrderByDescending(a => a.Score).ThenBy(a => a.Mentor).ThenBy(a => a.Mentee))
            {
                if (mentorOf[mentee] < 0 && capacity[mentor] > 0)
                {
                    mentorOf[mentee] = mentor;
                    capacity[mentor]--;
                }
            }
        }

        return Result(scores, options, mentorOf, pinned, forbidden, options.MinScore);
    }

    /// <summary>The options as they apply to these scores: no minimum score for the cold-start similarity.</summary>
    private static AssignmentOptions Effective(ScoredCohort scores, AssignmentOptions options) =>
        scores.Method == ScoringMethod.ColdStartSimilarity ? options with { MinScore = 0 } : options;

    /// <summary>Baseline: mentees in random order each get a random mentor with room (scores ignored), seeded.</summary>
    public static Assignment Random(ScoredCohort scores, int seed, AssignmentOptions? options = null)
    {
        options ??= new AssignmentOptions { MinScore = 0 };
        var (capacity, pinned, forbidden) = Constraints(scores, options);
        var random = new Random(seed);
        var mentorOf = Enumerable.Repeat(-1, scores.Mentees.Count).ToArray();
        var order = Enumerable.Range(0, scores.Mentees.Count).Where(e => !pinned.ContainsKey(e)).ToArray();
        random.Shuffle(order);
        var open = Enumerable.Range(0, capacity.Length).Where(m => capacity[m] > 0).ToList();
        foreach (var e in order)
        {
            var choices = open.Where(m => !forbidden.Contains((m, e))).ToList();
            if (choices.Count == 0)
            {
                continue;
            }

            var mentor = choices[random.Next(choices.Count)];
            mentorOf[e] = mentor;
            if (--capacity[mentor] == 0)
            {
                open.Remove(mentor);
            }
        }

        return Result(scores, options with { MinScore = double.NegativeInfinity }, mentorOf, pinned, forbidden, double.NegativeInfinity);
    }

    /// <summary>
    /// Maximum-weight assignment under capacity (each mentee at most one mentor, mentor m at most capacity[m]
    /// mentees) over the given arcs, as a min-cost flow: source → mentee (1) → mentor (1, cost −score) → sink
    /// (capacity), plus mentee → sink (cost 0) so that a mentee may stay unmatched. Returns the mentor of each
    /// mentee, or −1.
    /// </summary>
    public static int[] Solve(IReadOnlyList<int> capacity, int menteeCount, IReadOnlyList<(int Mentor, int Mentee, double Score)> arcs)
    {
        var mentorOf = Enumerable.Repeat(-1, menteeCount).ToArray();
        if (arcs.Count == 0 || menteeCount == 0)
        {
            return mentorOf;
        }

        var mentorCount = capacity.Count;
        var source = 0;
        var sink = 1 + menteeCount + mentorCount;
        using var flow = new MinCostFlow(sink + 1, arcs.Count + (2 * menteeCount) + mentorCount);
        for (var e = 0; e < menteeCount; e++)
        {
            flow.AddArcWithCapacityAndUnitCost(source, 1 + e, 1, 0);
            flow.AddArcWithCapacityAndUnitCost(1 + e, sink, 1, 0);
        }

        var first = flow.NumArcs();
        foreach (var (mentor, mentee, score) in arcs)
        {
            flow.AddArcWithCapacityAndUnitCost(1 + mentee, 1 + menteeCount + mentor, 1, -(long)Math.Round(score * CostScale));
        }

        for (var m = 0; m < mentorCount; m++)
        {
            if (capacity[m] > 0)
            {
                flow.AddArcWithCapacityAndUnitCost(1 + menteeCount + m, sink, capacity[m], 0);
            }
        }

        flow.SetNodeSupply(source, menteeCount);
        flow.SetNodeSupply(sink, -menteeCount);
        var status = flow.Solve();
        if (status != MinCostFlowBase.Status.OPTIMAL)
        {
            throw new InvalidOperationException($"min-cost flow ended with status {status}");
        }

        for (var a = 0; a < arcs.Count; a++)
        {
            if (flow.Flow(first + a) > 0)
            {
                mentorOf[arcs[a].Mentee] = arcs[a].Mentor;
            }
        }

        return mentorOf;
    }

    private static (int[] Capacity, Dictionary<int, int> Pinned, HashSet<(int, int)> Forbidden) Constraints(ScoredCohort scores, AssignmentOptions options)
    {
        var capacity = scores.Mentors.Select(m => m.Capacity).ToArray();
        var problems = new List<string>();
        var forbidden = new HashSet<(int, int)>();
        foreach (var f in options.Forbidden)
        {
            if (Resolve(scores, f, "forbidden", problems) is { } pair)
            {
                forbidden.Add(pair);
            }
        }

        var pinned = new Dictionary<int, int>();
        foreach (var p in options.Pinned)
        {
            if (Resolve(scores, p, "pinned", problems) is not { } pair)
            {
                continue;
            }

            if (forbidden.Contains(pair))
            {
                problems.Add($"pinned pair {p.MentorId}/{p.MenteeId} is also forbidden");
            }
            else if (!pinned.TryAdd(pair.Mentee, pair.Mentor))
            {
                problems.Add($"mentee {p.MenteeId} is pinned to more than one mentor");
            }
            else if (--capacity[pair.Mentor] < 0)
            {
                problems.Add($"mentor {p.MentorId} has more pinned mentees than capacity {scores.Mentors[pair.Mentor].Capacity}");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }

        return (capacity, pinned, forbidden);
    }

    private static (int Mentor, int Mentee)? Resolve(ScoredCohort scores, PairRef pair, string kind, List<string> problems)
    {
        var mentor = scores.MentorIndex(pair.MentorId);
        var mentee = scores.MenteeIndex(pair.MenteeId);
        if (mentor is null)
        {
            problems.Add($"{kind} pair names '{pair.MentorId}', who is not a mentor of the cohort");
        }

        if (mentee is null)
        {
            problems.Add($"{kind} pair names '{pair.MenteeId}', who is not a mentee of the cohort");
        }

        return mentor is { } m && mentee is { } e ? (m, e) : null;
    }

    private static Assignment Result(
        ScoredCohort scores, AssignmentOptions options, int[] mentorOf, Dictionary<int, int> pinned, HashSet<(int, int)> forbidden, double weakBelow)
    {
        var pairs = new List<AssignedPair>();
        var unmatched = new List<UnmatchedMentee>();
        for (var e = 0; e < scores.Mentees.Count; e++)
        {
            if (pinned.TryGetValue(e, out var pinnedMentor))
            {
                var score = scores.Score(pinnedMentor, e);
                pairs.Add(new AssignedPair(pinnedMentor, e, score, Pinned: true) { Weak = score < weakBelow });
            }
            else if (mentorOf[e] >= 0)
            {
                var score = scores.Score(mentorOf[e], e);
                pairs.Add(new AssignedPair(mentorOf[e], e, score, Pinned: false) { Weak = score < weakBelow });
            }
            else
            {
                unmatched.Add(Unmatched(scores, options, e, forbidden));
            }
        }

        return new Assignment(scores, pairs, unmatched, Shortage(scores, unmatched));
    }

    private static UnmatchedMentee Unmatched(ScoredCohort scores, AssignmentOptions options, int e, HashSet<(int, int)> forbidden)
    {
        var best = scores.CandidatesOf(e).Where(c => !forbidden.Contains((c.Mentor, e))).Cast<Candidate?>().FirstOrDefault();
        if (best is not { } b)
        {
            return new UnmatchedMentee(e, UnmatchedCause.NoMentorAboveMinimum, null, null, "no admissible mentor in the cohort");
        }

        var id = scores.Mentors[b.Mentor].Id;
        var min = options.MinScore.ToString("0.##", CultureInfo.InvariantCulture);
        var score = b.Score.ToString("0.00", CultureInfo.InvariantCulture);
        var floor = WeakFloor(scores, options);
        var nor = floor is { } f ? string.Create(CultureInfo.InvariantCulture, $", nor the programme's past success rate {f:0.00}") : string.Empty;
        return b.Score >= (floor ?? options.MinScore)
            ? new UnmatchedMentee(e, UnmatchedCause.MentorsAtCapacity, b.Mentor, b.Score,
                $"suitable mentors were at capacity (best {id} at {score}); more mentors of this profile are needed")
            : new UnmatchedMentee(e, UnmatchedCause.NoMentorAboveMinimum, b.Mentor, b.Score,
                $"no mentor scored at least {min}{nor} (best {id} at {score})");
    }

    private static List<ShortageGroup> Shortage(ScoredCohort scores, List<UnmatchedMentee> unmatched)
    {
        var meanCapacity = scores.Mentors.Count == 0 ? 1 : Math.Max(1, scores.Mentors.Average(m => m.Capacity));
        return [.. unmatched
            .GroupBy(u => scores.Mentees[u.Mentee].CareerPath, StringComparer.Ordinal)
            .Select(g => new ShortageGroup(
                g.Key,
                Top(g.Select(u => Region(scores.Mentees[u.Mentee].TimeZone)), 3),
                Top(g.SelectMany(u => scores.Mentees[u.Mentee].Interests), 3),
                g.Count(),
                g.Count(u => u.Cause == UnmatchedCause.MentorsAtCapacity),
                g.Count(u => u.Cause == UnmatchedCause.NoMentorAboveMinimum),
                (int)Math.Ceiling(g.Count() / meanCapacity)))
            .OrderByDescending(s => s.UnmatchedMentees).ThenBy(s => s.CareerPath, StringComparer.Ordinal)];
    }

    private static List<string> Top(IEnumerable<string> values, int count) =>
        [.. values.GroupBy(v => v, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(count).Select(g => g.Key)];

    /// <summary>The time-zone region: the IANA area (<c>Europe</c>, <c>America</c>…), or the id itself (<c>UTC</c>).</summary>
    public static string Region(string timeZone)
    {
        var slash = timeZone.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? timeZone : timeZone[..slash];
    }
}
