using MentorFlow.Mentoring.Domain;

namespace MentorFlow.Mentoring.Tests;

public sealed class ProgrammeVocabularyTests : IDisposable
{
    private readonly MentoringFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Validate_TrimsTerms_AndKeepsTheManagersSpelling()
    {
        var terms = ProgrammeVocabulary.Validate(["  Data science ", "<script>alert(1)</script>"], ["Research"], []);

        Assert.Equal(["Data science", "<script>alert(1)</script>"], terms.Interests);
        Assert.Equal("data science", ProgrammeVocabulary.TagOf(terms.Interests[0]));
    }

    [Theory]
    [InlineData("interests[1]", new[] { "Cloud", "cloud" }, "repeats 'Cloud'")]
    [InlineData("interests[0]", new[] { "   " }, "cannot be empty")]
    [InlineData("interests[0]", new[] { "sql;python" }, "cannot contain")]
    [InlineData("interests[0]", new[] { "sql, python" }, "cannot contain")]
    [InlineData("interests[0]", new[] { "line\nbreak" }, "cannot contain")]
    public void Validate_BadTerm_NamesTheTermsPlaceInItsList(string field, string[] interests, string message)
    {
        var problem = Assert.Throws<MentoringProblemException>(() => ProgrammeVocabulary.Validate(interests, [], []));

        Assert.Equal(400, problem.Status);
        Assert.Contains(message, Assert.Single(problem.Errors[field]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OverLongTermsAndListsAreRefused()
    {
        var problem = Assert.Throws<MentoringProblemException>(() => ProgrammeVocabulary.Validate(
            [new string('x', ProgrammeVocabulary.MaxTermLength + 1)], [.. Enumerable.Range(0, ProgrammeVocabulary.MaxTerms + 1).Select(i => $"path {i}")], []));

        Assert.Contains("at most 60 characters", Assert.Single(problem.Errors["interests[0]"]), StringComparison.Ordinal);
        Assert.Contains("At most 200 terms", Assert.Single(problem.Errors["careerPaths"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetVocabulary_SavesTheLists_AndARefusedOneChangesNothing()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Applications);
        await _f.Programmes.SetVocabularyAsync(programme.Id, new(["Data science", "Cloud"], ["Research"], ["Lead a team"]), "manager");

        await Assert.ThrowsAsync<MentoringProblemException>(() =>
            _f.Programmes.SetVocabularyAsync(programme.Id, new(["Cloud", "CLOUD"], [], []), "manager"));

        var saved = (await _f.Programmes.GetAsync(programme.Id)).Terms();
        Assert.Equal(["Data science", "Cloud"], saved.Interests);
        Assert.Equal(["Research"], saved.CareerPaths);
        Assert.Equal(["Lead a team"], saved.Goals);
    }

    [Fact]
    public async Task Apply_WithAFreeValueOutsideTheVocabulary_IsAcceptedAsATag()
    {
        var programme = await _f.ProgrammeInPhaseAsync(ProgrammePhase.Applications);
        await _f.Programmes.SetVocabularyAsync(programme.Id, new(["Data science"], ["Research"], ["Lead a team"]), "manager");

        var application = await _f.Participation.AddAsync(programme.Id,
            MentoringFixture.ValidApplication("a1", "mentee", "a1@c.test") with { Interests = ["data science", "Quantum Computing"], CareerPath = "Astronomy" }, "manager");

        Assert.Equal(["data science", "quantum computing"], application.Interests);
        Assert.Equal("astronomy", application.CareerPath);
    }
}
