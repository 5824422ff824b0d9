using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Synthesis;
using MentorFlow.Reporting.Tests.Data;

namespace MentorFlow.Reporting.Tests.Synthesis;

public sealed class SyntheticWorldTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mentorflow-worlds-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static SyntheticData Generate(SyntheticWorld world) =>
        SyntheticData.Generate(new SynthOptions { Mentors = 30, Mentees = 120, Seed = 4, World = world });

    [Theory]
    [InlineData(SyntheticWorld.Additive)]
    [InlineData(SyntheticWorld.Interactions)]
    [InlineData(SyntheticWorld.Thresholds)]
    [InlineData(SyntheticWorld.Noisy)]
    [InlineData(SyntheticWorld.Drawn)]
    public void WriteTo_EveryWorld_WritesFilesTheReadersAcceptAndOutcomesOfBothKinds(SyntheticWorld world)
    {
        var data = Generate(world);
        var folder = Path.Combine(_directory, world.ToString());

        data.WriteTo(folder);

        Assert.True(ApplicationsCsv.Read(Path.Combine(folder, SyntheticData.HistoryFile)).IsValid);
        Assert.True(ApplicationsCsv.Read(Path.Combine(folder, SyntheticData.CohortFile)).IsValid);
        var outcomes = OutcomesCsv.Read(Path.Combine(folder, SyntheticData.OutcomesFile)).OrThrow();
        Assert.Contains(outcomes, o => o.Completed && o.GoalMet);
        Assert.Contains(outcomes, o => !(o.Completed && o.GoalMet));
        Assert.Equal(world, data.World);
    }

    [Theory]
    [InlineData("interactions", SyntheticWorld.Interactions)]
    [InlineData("THRESHOLDS", SyntheticWorld.Thresholds)]
    [InlineData("classic", SyntheticWorld.Classic)]
    [InlineData("Drawn", SyntheticWorld.Drawn)]
    public void Parse_TakesWorldNamesCaseInsensitively(string name, SyntheticWorld world) => Assert.Equal(world, GroundTruth.Parse(name));

    [Theory]
    [InlineData("flat")]
    [InlineData("2")]
    [InlineData("")]
    public void Parse_RefusesUnknownNamesAndNumbers(string name) => Assert.Null(GroundTruth.Parse(name));

    [Fact]
    public void NoisyWorld_LeavesFieldsEmptyButTheTruthStillDependsOnWhatPeopleDidNotWrite()
    {
        var data = Generate(SyntheticWorld.Noisy);

        var silent = data.Cohort.Where(a => a.Languages.Count == 0 && a.Communication.Count == 0 && a.HoursPerMonth is null).ToList();

        Assert.InRange(silent.Count / (double)data.Cohort.Count, 0.2, 0.5);
        var mentors = data.Cohort.Where(a => a.IsMentor).ToList();
        var differs = silent.Where(a => !a.IsMentor).SelectMany(e => mentors.Select(m => (m, e)))
            .Count(p => Math.Abs(data.TrueProbability(p.m, p.e) - data.Rule.Probability(p.m, p.e)) > 1e-9);
        Assert.True(differs > 0, "the truth of some pair with a silent mentee depends on the fields they left empty");
    }

    [Fact]
    public void ThresholdWorld_PairsWithoutACommonLanguageAlmostAlwaysFail()
    {
        var rule = GroundTruth.For(SyntheticWorld.Thresholds, 1);
        var mentor = TestData.Application("m", Role.Mentor, careerPath: "data-science", languages: ["de"], seniority: 12);
        var mentee = TestData.Application("e", Role.Mentee, careerPath: "data-science", languages: ["ja"], seniority: 2);

        Assert.Equal(0.03, rule.Probability(mentor, mentee));
        Assert.True(rule.Probability(mentor with { Languages = ["ja"] }, mentee) > 0.3);
    }

    [Fact]
    public void InteractionWorld_TimeZonesMatterOnlyWhenBothMeetOnlyLive()
    {
        var rule = GroundTruth.For(SyntheticWorld.Interactions, 1);
        var mentor = TestData.Application("m", Role.Mentor, timeZone: "Asia/Tokyo", communication: ["video"]);
        var mentee = TestData.Application("e", Role.Mentee, timeZone: "Europe/London", communication: ["video"]);
        var near = mentee with { TimeZone = "Asia/Tokyo" };

        Assert.True(rule.Probability(mentor, near) - rule.Probability(mentor, mentee) > 0.2);
        var writer = mentee with { Communication = ["email"] };
        Assert.Equal(rule.Probability(mentor, writer with { TimeZone = "Asia/Tokyo" }), rule.Probability(mentor, writer), 12);
    }

    [Fact]
    public void DrawnWorld_EachSeedDrawsADifferentStructure_AndTheSameSeedTheSameTruth()
    {
        var descriptions = Enumerable.Range(1, 6).Select(seed => string.Join("; ", new DrawnTruth(seed).Describe())).ToList();
        var mentor = TestData.Application("m", Role.Mentor, careerPath: "data-science", languages: ["en"], seniority: 12);
        var mentee = TestData.Application("e", Role.Mentee, careerPath: "analytics", languages: ["en"], seniority: 2);

        Assert.Equal(descriptions.Count, descriptions.Distinct().Count());
        Assert.Equal(descriptions[0], string.Join("; ", new DrawnTruth(1).Describe()));
        Assert.Equal(new DrawnTruth(4).Probability(mentor, mentee), GroundTruth.For(SyntheticWorld.Drawn, 4).Probability(mentor, mentee));
        Assert.All(descriptions, d => Assert.InRange(d.Split("; ").Length, 6, 13));
        Assert.All(Enumerable.Range(1, 6), seed => Assert.InRange(new DrawnTruth(seed).Probability(mentor, mentee), 0, 1));
    }
}
