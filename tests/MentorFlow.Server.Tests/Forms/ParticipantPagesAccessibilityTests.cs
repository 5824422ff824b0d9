using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Server.Tests.Infrastructure;
using MentorFlow.Server.Tests.Programmes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MentorFlow.Server.Tests.Forms;

/// <summary>
/// Every participant page a mail's link opens — each pair form, the choice of mentor, and the pages saying why a link
/// does not work — has no axe violation and fits a 375 px phone (the application and the poll:
/// <see cref="ApplyFormBrowserTests"/>).
/// </summary>
public sealed class ParticipantPagesAccessibilityTests : IClassFixture<KestrelServer>
{
    private readonly KestrelServer _server;

    public ParticipantPagesAccessibilityTests(KestrelServer server) => _server = server;

    [Fact]
    public async Task EveryParticipantPage_OnA375PxPhone_HasNoAxeViolations_AndFitsTheWidth()
    {
        Browser.RequireChromium();
        using var manager = _server.CreateKestrelClient();
        var seed = await DashboardSeed.CreateAsync(_server.Services, manager, "Pages for everyone");
        var (mentorId, menteeId, choiceId) = await PeopleAsync(seed);
        var pair = seed.FirstPairId.ToString("N");
        var pages = new List<(string Name, string Link)>();
        foreach (var purpose in new[] { "Policy", "Goal", "GoalMet", "KickOffScheduled", "CheckInSurvey", "MidPointSurvey", "ClosingSurvey", "Testimonial", "ConfirmMatch" })
        {
            pages.Add((purpose, await ParticipantFormSetup.LinkAsync(manager, seed.ProgrammeId, purpose, mentorId, pair)));
        }

        pages.Add(("ChooseMentor", await ParticipantFormSetup.LinkAsync(manager, seed.ProgrammeId, "ChooseMentor", menteeId, choiceId)));
        pages.Add(("Invalid", "/forms/not-a-link"));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.NewPageAsync(browser, _server, width: 375, height: 812, signedIn: false);
        foreach (var (name, link) in pages)
        {
            await page.GotoAsync(link);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            await Accessibility.AssertNoViolationsAsync(page, $"the {name} page");
            var width = await page.EvaluateAsync<int>("document.scrollingElement.scrollWidth");
            Assert.True(width <= 375, $"the {name} page is {width} px wide on a 375 px screen");
            await Browser.ScreenshotAsync(page, $"participant-{name}-375", fullPage: true);
        }
    }

    /// <summary>The first pair's mentor, and a mentee offered a choice of mentor (ids as links carry them).</summary>
    private async Task<(string MentorId, string MenteeId, string ChoiceId)> PeopleAsync(DashboardSeed seed)
    {
        await using var db = await _server.Services.GetRequiredService<IMentoringDb>().CreateAsync();
        var first = await db.Set<Pair>().SingleAsync(p => p.Id == seed.FirstPairId);
        var people = await db.Set<Application>().Where(a => a.ProgrammeId == seed.ProgrammeId).ToDictionaryAsync(a => a.ExternalId, a => a.Id);
        var choice = new MentorChoice
        {
            ProgrammeId = seed.ProgrammeId,
            MenteeId = people["e6"],
            Candidates = [new MentorCandidate(people["m3"], 0.72, "same career path; shared interests: sql"), new MentorCandidate(people["m1"], 0.64, "shared interests: python")],
            OfferedAt = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero),
            ChooseBy = new DateTimeOffset(2026, 11, 8, 9, 0, 0, TimeSpan.Zero),
        };
        db.Add(choice);
        await db.SaveChangesAsync();
        return (first.MentorId.ToString("N"), people["e6"].ToString("N"), choice.Id.ToString("N"));
    }
}
