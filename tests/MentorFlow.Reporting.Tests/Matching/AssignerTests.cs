using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Matching;
using MentorFlow.Reporting.Tests.Data;

namespace MentorFlow.Reporting.Tests.Matching;

public sealed class AssignerTests
{
    private static (List<Application> Mentors, List<Application> Mentees) People(int[] capacities, int mentees) =>
        ([.. capacities.Select((c, i) => TestData.Application($"m{i}", Role.Mentor, capacity: c))],
         [.. Enumerable.Range(0, mentees).Select(i => TestData.Application($"e{i}", Role.Mentee))]);

    /// <summary>Every way to give each mentee one mentor or none, under capacity and minimum score: the best total.</summary>
    private static double BruteForce(double[,] scores, int[] capacity, double minScore)
    {
        var mentees = scores.GetLength(1);
        var best = 0.0;
        var room = (int[])capacity.Clone();
        Recurse(0, 0);
        return best;

        void Recurse(int e, double total)
        {
            if (e == mentees)
            {
                best = Math.Max(best, total);
                return;
            }

            Recurse(e + 1, total);
            for (var m = 0; m < capacity.Length; m++)
            {
                if (room[m] > 0 && scores[m, e] >= minScore)
                {
                    room[m]--;
                    Recurse(e + 1, total + scores[m, e]);
                    room[m]++;
                }
            }
        }
    }

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Assign_OnSmallRandomCases_MatchesBruteForceOptimumAndRespectsConstraints(int seed)
    {
        var random = new Random(seed);
        var capacities = Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(1, 3)).ToArray();
        var menteeCount = random.Next(1, 7);
        var (mentors, mentees) = People(capacities, menteeCount);
        var scores = new double[capacities.Length, menteeCount];
        for (var m = 0; m < capacities.Length; m++)
        {
            for (var e = 0; e < menteeCount; e++)
            {
                scores[m, e] = Math.Round(random.NextDouble(), 3);
            }
        }

        var minScore = seed % 3 == 0 ? 0.4 : 0;
        var cohort = ScoredCohort.FromScores(mentors, mentees, (m, e) => scores[m, e]);

        var assignment = Assigner.Assign(cohort, new AssignmentOptions { MinScore = minScore });

        Assert.Equal(BruteForce(scores, capacities, minScore), assignment.TotalScore, 6);
        Assert.All(assignment.Pairs, p => Assert.True(p.Score >= minScore));
        Assert.All(assignment.Pairs.GroupBy(p => p.Mentor), g => Assert.True(g.Count() <= capacities[g.Key]));
        Assert.Equal(menteeCount, assignment.Pairs.Count + assignment.Unmatched.Count);
        Assert.Equal(assignment.Pairs.Count, assignment.Pairs.Select(p => p.Mentee).Distinct().Count());
    }

    [Fact]
    public void Assign_PrefersGlobalOptimumOverGreedyChoice()
    {
        // Greedy takes m0–e0 (0.9) and leaves e1 with 0.1; the optimum pairs m0–e1 and m1–e0 for 1.6.
        var (mentors, mentees) = People([1, 1], 2);
        double[,] s = { { 0.9, 0.8 }, { 0.8, 0.1 } };
        var cohort = ScoredCohort.FromScores(mentors, mentees, (m, e) => s[m, e]);

        var optimal = Assigner.Assign(cohort, new AssignmentOptions { MinScore = 0 });
        var greedy = Assigner.Greedy(cohort, new AssignmentOptions { MinScore = 0 });

        Assert.Equal(1.6, optimal.TotalScore, 6);
        Assert.Equal(1.0, greedy.TotalScore, 6);
    }

    [Fact]
    public void Assign_LeavesMenteeUnmatchedRatherThanBelowMinScore_AndSaysWhy()
    {
        var (mentors, mentees) = People([2], 2);
        double[,] s = { { 0.8, 0.2 } };
        var cohort = ScoredCohort.FromScores(mentors, mentees, (m, e) => s[m, e]);

        var assignment = Assigner.Assign(cohort, new AssignmentOptions { MinScore = 0.35 });

        var pair = Assert.Single(assignment.Pairs);
        Assert.Equal((0, 0), (pair.Mentor, pair.Mentee));
        var unmatched = Assert.Single(assignment.Unmatched);
        Assert.Equal(UnmatchedCause.NoMentorAboveMinimum, unmatched.Cause);
        Assert.Contains("no mentor scored at least 0.35 (best m0 at 0.20)", unmatched.Reason, StringComparison.Ordinal);
        var row = assignment.ToPairs().Single(p => p.MenteeId == "e1");
        Assert.Null(row.MentorId);
        Assert.Null(row.Score);
    }

    [Fact]
    public void Assign_WhenCapacityRunsOut_ReportsShortageOfThatProfile()
    {
        var (mentors, mentees) = People([1], 3);
        var cohort = ScoredCohort.FromScores(mentors, mentees, (m, e) => 0.9 - (e * 0.1));

        var assignment = Assigner.Assign(cohort, new AssignmentOptions { MinScore = 0.35 });

        Assert.Equal(2, assignment.Unmatched.Count);
        Assert.All(assignment.Unmatched, u => Assert.Equal(UnmatchedCause.MentorsAtCapacity, u.Cause));
        var shortage = Assert.Single(assignment.Shortage);
        Assert.Equal("software-engineering", shortage.CareerPath);
        Assert.Equal(["Europe"], shortage.Regions);
        Assert.Equal((2, 2, 0, 2), (shortage.UnmatchedMentees, shortage.MentorsAtCapacity, shortage.NoMentorAboveMinimum, shortage.MentorsNeeded));
        Assert.Equal(2, assignment.MentorsNeeded);
    }

    [Fact]
    public void Assign_AtColdStart_FillsMentorsWithRoomBeyondThePrunedCandidatesAndMarksPairsBelowTheMinimumWeak()
    {
        // Every mentee's one pre-filtered candidate is m0 (the only mentor sharing their interest); m1 and m2 share
        // nothing, yet have room: at cold start they still take a mentee each, as weak matches.
        List<Application> cohort =
        [
            TestData.Application("m0", Role.Mentor, interests: ["sql"], goals: ["sql"]),
            TestData.Application("m1", Role.Mentor, interests: ["pottery"], goals: ["pottery"], careerPath: "design"),
            TestData.Application("m2", Role.Mentor, interests: ["sailing"], goals: ["sailing"], careerPath: "design"),
            .. Enumerable.Range(0, 3).Select(i => TestData.Application($"e{i}", Role.Mentee, interests: ["sql"], goals: ["sql"])),
        ];
        var scores = MatchModel.ColdStart("no history yet").Score(cohort, new ScoringOptions { CandidatesPerMentee = 1 });

        var assignment = Assigner.Assign(scores, new AssignmentOptions { MinScore = 0.35 });

        Assert.Empty(assignment.Unmatched);
        Assert.Equal(3, assignment.Pairs.Select(p => p.Mentor).Distinct().Count());
        Assert.All(assignment.Pairs, p => Assert.Equal(p.Score < 0.35, p.Weak));
        Assert.Single(assignment.Pairs, p => !p.Weak);
        Assert.Equal("m0", scores.Mentors[assignment.Pairs.Single(p => !p.Weak).Mentor].Id);
    }

    [Fact]
    public void Assign_WithLearnedScores_NeverProposesBelowTheMinimumSoNothingIsWeak()
    {
        var (mentors, mentees) = People([2, 2], 4);
        var cohort = ScoredCohort.FromScores(mentors, mentees, (m, e) => m == 0 ? 0.6 : 0.2);

        var assignment = Assigner.Assign(cohort, new AssignmentOptions { MinScore = 0.35 });

        Assert.Equal(2, assignment.Pairs.Count);
        Assert.All(assignment.Pairs, p => Assert.False(p.Weak));
        Assert.Equal(2, assignment.Unmatched.Count);
    }

    [Fact]
    public void Assign_PinnedPairIsKeptEvenBelowMinScoreAndUsesCapacity()
    {
        var (mentors, mentees) = People([1, 1], 2);
        double[,] s = { { 0.9, 0.2 }, { 0.5, 0.6 } };
        var cohort = ScoredCohort.FromScores(mentors, mentees, (m, e) => s[m, e]);

        var assignment = Assigner.Assign(cohort, new AssignmentOptions { MinScore = 0.35, Pinned = [new PairRef("m0", "e1")] });

        Assert.Contains(assignment.Pairs, p => p is { Mentor: 0, Mentee: 1, Pinned: true });
        Assert.Contains(assignment.Pairs, p => p is { Mentor: 1, Mentee: 0, Pinned: false });
        Assert.StartsWith("pinned by the manager", assignment.ToPairs().Single(p => p.MenteeId == "e1").Reasons, StringComparison.Ordinal);
    }

    [Fact]
    public void Assign_ForbiddenPairIsNeverProposed()
    {
        var (mentors, mentees) = People([1, 1], 1);
        double[,] s = { { 0.9 }, { 0.5 } };
        var cohort = ScoredCohort.FromScores(mentors, mentees, (m, e) => s[m, e]);

        var assignment = Assigner.Assign(cohort, new AssignmentOptions { Forbidden = [new PairRef("m0", "e0")] });

        var pair = Assert.Single(assignment.Pairs);
        Assert.Equal(1, pair.Mentor);
    }

    [Theory]
    [InlineData("pins exceed capacity")]
    [InlineData("pinned and forbidden")]
    [InlineData("unknown mentor")]
    [InlineData("mentee pinned twice")]
    public void Assign_WhenConstraintsContradict_ThrowsNamingThePair(string scenario)
    {
        var (mentors, mentees) = People([1, 1], 2);
        var cohort = ScoredCohort.FromScores(mentors, mentees, (m, e) => 0.5);
        var options = scenario switch
        {
            "pins exceed capacity" => new AssignmentOptions { Pinned = [new("m0", "e0"), new("m0", "e1")] },
            "pinned and forbidden" => new AssignmentOptions { Pinned = [new("m0", "e0")], Forbidden = [new("m0", "e0")] },
            "unknown mentor" => new AssignmentOptions { Pinned = [new("zz", "e0")] },
            _ => new AssignmentOptions { Pinned = [new("m0", "e0"), new("m1", "e0")] },
        };

        var error = Assert.Throws<ArgumentException>(() => Assigner.Assign(cohort, options));

        Assert.Contains(scenario switch
        {
            "pins exceed capacity" => "mentor m0 has more pinned mentees than capacity 1",
            "pinned and forbidden" => "m0/e0 is also forbidden",
            "unknown mentor" => "'zz', who is not a mentor",
            _ => "mentee e0 is pinned to more than one mentor",
        }, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_RespectsCapacityAndIsSeeded()
    {
        var (mentors, mentees) = People([2, 1], 5);
        var cohort = ScoredCohort.FromScores(mentors, mentees, (m, e) => 0.5);

        var first = Assigner.Random(cohort, 3);
        var second = Assigner.Random(cohort, 3);

        Assert.Equal(3, first.Pairs.Count);
        Assert.Equal(first.Pairs, second.Pairs);
    }
}
