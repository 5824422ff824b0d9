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

    private static (List<Application> Mentors, List<Application> Mentees) Split(SyntheticData data) =>
        ([.. data.Cohort.Where(a => a.IsMentor)], [.. data.Cohort.Where(a => !a.IsMentor)]);

    /// <summary>Left languages, hours and channels empty (a complete application names a language and a channel).</summary>
    private static bool Silent(Application a) => a.Languages.Count == 0 && a.Communication.Count == 0 && a.HoursPerMonth is null;

    /// <summary>Every completion of a silent person the generator could have drawn: languages of their zone, 1–3 channels, hours (or none).</summary>
    private static IEnumerable<Application> Completions(Application silent, bool hours = true)
    {
        var local = new Dictionary<string, string>
        {
            ["Europe/Berlin"] = "de", ["Europe/Madrid"] = "es", ["America/Sao_Paulo"] = "pt", ["Asia/Kolkata"] = "hi", ["Asia/Tokyo"] = "ja",
        }.GetValueOrDefault(silent.TimeZone);
        string[][] languages = local is null ? [["en"]] : [["en"], [local], ["en", local]];
        var channels = Enumerable.Range(1, 31).Select(mask => ContractValues.CommunicationTags.Where((_, i) => (mask & (1 << i)) != 0).ToArray())
            .Where(c => c.Length <= 3).ToList();
        double?[] given = hours ? [null, .. Enumerable.Range(2, silent.IsMentor ? 11 : 7).Select(h => (double?)h)] : [null];
        return languages.SelectMany(l => channels.SelectMany(c => given.Select(h => silent with { Languages = l, Communication = c, HoursPerMonth = h })));
    }

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

    [Theory]
    [InlineData(SyntheticWorld.Classic)]
    [InlineData(SyntheticWorld.Additive)]
    [InlineData(SyntheticWorld.Interactions)]
    [InlineData(SyntheticWorld.Thresholds)]
    [InlineData(SyntheticWorld.Drawn)]
    public void ObservableProbability_WhereNobodyLeftFieldsEmpty_IsExactlyTheVisibleTruth(SyntheticWorld world)
    {
        var data = Generate(world);
        var (mentors, mentees) = Split(data);

        Assert.All(mentors, m => Assert.All(mentees, e => Assert.Equal(data.VisibleProbability(m, e), data.ObservableProbability(m, e))));
    }

    [Fact]
    public void ObservableProbability_PairOfPeopleWhoWroteEverything_IsExactlyTheVisibleTruth()
    {
        var data = Generate(SyntheticWorld.Noisy);
        var (mentors, mentees) = Split(data);
        var written = mentors.Where(m => !Silent(m)).SelectMany(m => mentees.Where(e => !Silent(e)).Select(e => (m, e))).ToList();

        Assert.True(written.Count > 1000);
        Assert.All(written, p => Assert.Equal(data.VisibleProbability(p.m, p.e), data.ObservableProbability(p.m, p.e)));
    }

    [Fact]
    public void ObservableProbability_WithOneSilentPerson_LiesWithinTheTruthOverEveryPlausibleCompletion_AndDiffersFromTheCompleteApplications()
    {
        var data = Generate(SyntheticWorld.Noisy);
        var (mentors, mentees) = Split(data);
        var pairs = mentors.Where(m => !Silent(m)).Take(6).SelectMany(m => mentees.Where(Silent).Take(10).Select(e => (Mentor: m, Mentee: e, Silent: e)))
            .Concat(mentors.Where(Silent).Take(6).SelectMany(m => mentees.Where(e => !Silent(e)).Take(10).Select(e => (Mentor: m, Mentee: e, Silent: m))))
            .ToList();

        Assert.Equal(120, pairs.Count);
        foreach (var (mentor, mentee, silent) in pairs)
        {
            var truths = Completions(silent).Select(c => silent == mentor ? data.Rule.Visible(c, mentee) : data.Rule.Visible(mentor, c)).ToList();
            Assert.InRange(data.ObservableProbability(mentor, mentee), truths.Min() - 1e-12, truths.Max() + 1e-12); // an average of equal values may round
        }

        var gaps = pairs.Select(p => Math.Abs(data.ObservableProbability(p.Mentor, p.Mentee) - data.VisibleProbability(p.Mentor, p.Mentee))).ToList();
        Assert.True(gaps.Count(g => g > 0.05) >= 10, $"what the silent person did not write moves the truth of some pairs (largest gap {gaps.Max():0.000})");
    }

    [Fact]
    public void ObservableProbability_PairOfTwoSilentPeople_LiesWithinTheTruthOverTheirLanguagesAndChannels()
    {
        var data = Generate(SyntheticWorld.Noisy);
        var (mentors, mentees) = Split(data);
        var pairs = mentors.Where(Silent).Take(4).SelectMany(m => mentees.Where(Silent).Take(5).Select(e => (m, e))).ToList();

        Assert.Equal(20, pairs.Count);
        foreach (var (mentor, mentee) in pairs)
        {
            // The noisy truth does not read hours, so the languages and channels of both span every value it can take.
            var truths = Completions(mentor, hours: false).SelectMany(m => Completions(mentee, hours: false).Select(e => data.Rule.Visible(m, e))).ToList();
            Assert.InRange(data.ObservableProbability(mentor, mentee), truths.Min() - 1e-12, truths.Max() + 1e-12); // an average of equal values may round
        }
    }

    [Fact]
    public void ObservableProbability_SameSeed_GivesTheSameValuesWhateverTheOrderOfTheQuestions()
    {
        var first = Generate(SyntheticWorld.Noisy);
        var second = Generate(SyntheticWorld.Noisy);
        var (mentors, mentees) = Split(first);
        var pairs = mentors.SelectMany(m => mentees.Take(40).Select(e => (m, e))).ToList();

        var forwards = pairs.Select(p => first.ObservableProbability(p.m, p.e)).ToList();
        var backwards = Enumerable.Reverse(pairs).Select(p => second.ObservableProbability(p.m, p.e)).Reverse().ToList();

        Assert.Equal(forwards, backwards);
        Assert.Contains(pairs, p => Silent(p.m) && Silent(p.e));
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
