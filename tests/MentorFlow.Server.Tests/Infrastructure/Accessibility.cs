using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace MentorFlow.Server.Tests.Infrastructure;

/// <summary>axe-core (Deque) run in the page as it stands: WCAG 2.0/2.1 A and AA rules and best practices.</summary>
internal static class Accessibility
{
    /// <summary>Fails with each violation (rule, impact, the elements) when axe finds any on <paramref name="page"/>.</summary>
    public static async Task AssertNoViolationsAsync(IPage page, string what)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        });
        var violations = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}");
        Assert.True(result.Violations.Length == 0, $"axe found violations on {what}:\n" + string.Join("\n", violations));
    }
}
