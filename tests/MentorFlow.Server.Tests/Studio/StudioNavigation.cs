using Microsoft.Playwright;

namespace MentorFlow.Server.Tests.Studio;

/// <summary>How a manager reaches a flow in the Studio: from the home page, through the list, by clicking.</summary>
internal static class StudioNavigation
{
    public const string FlowSearch = "Search on Id, Name, Description, Definition Id";

    /// <summary>The home page's "Flows (Studio)" link, as a manager starts.</summary>
    public static async Task OpenFlowListFromHomeAsync(IPage page)
    {
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Flows (Studio)" }).ClickAsync();
        await page.WaitForURLAsync("**/studio/workflows/definitions**");
    }

    /// <summary>Finds the flow with the list's search box and clicks its row; waits until the designer's page is open.</summary>
    public static async Task OpenFlowByClickingItsRowAsync(IPage page, string definitionId)
    {
        await page.GetByPlaceholder(FlowSearch).FillAsync(definitionId);
        var row = page.Locator("tbody tr", new() { HasText = definitionId });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await row.GetByText(definitionId, new() { Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/studio/workflows/definitions/{definitionId}/edit");
    }
}
