using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Matching;
using MentorFlow.Reporting.Tests.Data;

namespace MentorFlow.Reporting.Tests.Matching;

public sealed class HistoryInputsTests
{
    /// <summary>
    /// Three mentors and six mentees, two of whom share a set of goals, one with none; eight past pairs (a mentee in
    /// several of them).
    /// </summary>
    private static (PersonProfile Mentor, PersonProfile Mentee)[] Pairs()
    {
        Application[] mentors =
        [
            TestData.Application("m1", Role.Mentor, seniority: 12, goals: []),
            TestData.Application("m2", Role.Mentor, seniority: 3, careerPath: "product-management", goals: []),
            TestData.Application("m3", Role.Mentor, seniority: 20, timeZone: "America/New_York", goals: []),
        ];
        Application[] mentees =
        [
            TestData.Application("e1", Role.Mentee, goals: ["leadership", "writing"]),
            TestData.Application("e2", Role.Mentee, goals: ["management"], seniority: 1),
            TestData.Application("e3", Role.Mentee, goals: ["leadership", "writing"], careerPath: "product-management"),
            TestData.Application("e4", Role.Mentee, goals: []),
            TestData.Application("e5", Role.Mentee, goals: ["strategy", "management", "career-switch"]),
            TestData.Application("e6", Role.Mentee, goals: ["writing"], timeZone: "Asia/Tokyo"),
        ];
        var space = new ProfileSpace([.. mentors, .. mentees]);
        (int Mentor, int Mentee)[] pairs = [(0, 0), (1, 1), (2, 2), (0, 3), (1, 4), (2, 5), (1, 0), (0, 4)];
        return [.. pairs.Select(p => (space.Profile(mentors[p.Mentor]), space.Profile(mentees[p.Mentee])))];
    }

    private static readonly IReadOnlyList<string>[] Vocabularies =
    [
        ["leadership", "writing", "management", "strategy", "career-switch"],
        [string.Join(GoalGroups.Separator, "leadership", "management", "strategy"), "writing", "career-switch"],
        ["writing", string.Join(GoalGroups.Separator, "career-switch", "leadership")],
        [],
    ];

    [Fact]
    public void For_EachVocabularyInTurn_GivesEveryRowTheInputsOfItsPairComputedDirectly()
    {
        var pairs = Pairs();
        var history = new HistoryInputs(pairs);

        // Each vocabulary, then the first again: rows rewritten for another vocabulary keep nothing of it.
        foreach (var vocabulary in Vocabularies.Append(Vocabularies[0]))
        {
            var rows = history.For(vocabulary);

            Assert.Equal(pairs.Length, rows.Count);
            for (var i = 0; i < pairs.Length; i++)
            {
                Assert.Equal(ModelInputs.Of(pairs[i].Mentor, pairs[i].Mentee, vocabulary), rows[i]);
            }
        }
    }

    [Fact]
    public void For_AnotherVocabulary_RewritesTheSameRowsInsteadOfCopyingThem()
    {
        var history = new HistoryInputs(Pairs());

        var first = history.For(Vocabularies[0]);
        var firstRows = first.ToArray();
        var before = first[1][PairFeatures.Count..(PairFeatures.Count + 3)];
        var second = history.For(Vocabularies[1]);

        Assert.Same(first, second);
        Assert.All(firstRows, (row, i) => Assert.Same(row, second[i]));
        // e2 wants management: the third entry before, the group (first entry) now.
        Assert.Equal([0f, 0f, 1f], before);
        Assert.Equal([1f, 0f, 0f], second[1][PairFeatures.Count..(PairFeatures.Count + 3)]);
    }
}
