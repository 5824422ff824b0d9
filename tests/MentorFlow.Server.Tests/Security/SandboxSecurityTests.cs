using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MentorFlow.Server.Tests.Security;

/// <summary>
/// The Graph sandbox inside the real server: its pages take the server's manager keys, and a manager signed in to the
/// shell opens them from the "Mailbox" link (a one-time ticket posted across the two origins), in Debian Chromium.
/// </summary>
public sealed class SandboxSecurityTests : IClassFixture<KestrelServer>
{
    private const string SignedLink = "http://localhost/forms/default.cGF5bG9hZA.bWFj";
    private readonly KestrelServer _server;

    public SandboxSecurityTests(KestrelServer server) => _server = server;

    private GraphSandboxHost Sandbox => _server.Services.GetRequiredService<GraphSandboxHost>();

    [Fact]
    public async Task SessionApi_WithoutAManagerKey_Is401_WithOne_GivesATicketForTheSandboxOrigin()
    {
        using var anonymous = new HttpClient { BaseAddress = _server.BaseAddress };
        using var manager = _server.CreateKestrelClient();

        using var refused = await anonymous.PostAsJsonAsync(new Uri("/api/graph/sandbox/session", UriKind.Relative), new { mailbox = "a@contoso.test" });
        using var issued = await manager.PostAsJsonAsync(new Uri("/api/graph/sandbox/session", UriKind.Relative), new { mailbox = "a@contoso.test" });
        var session = await issued.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.Equal(new Uri(Sandbox.Origin!, "sandbox/session").ToString(), session.GetProperty("url").GetString());
        Assert.Equal("/mailbox/a%40contoso.test", await Sandbox.Access.RedeemTicketAsync(session.GetProperty("ticket").GetString(), CancellationToken.None));
    }

    [Fact]
    public async Task SandboxPages_AcceptTheServersManagerKey_AndRefuseOthers()
    {
        using var withKey = new HttpClient();
        withKey.DefaultRequestHeaders.Authorization = new("ApiKey", ServerFactory.ManagerKey);
        using var wrongKey = new HttpClient();
        wrongKey.DefaultRequestHeaders.Authorization = new("ApiKey", "wrong-manager-key-0123456789");

        using var shown = await withKey.GetAsync(Sandbox.Origin);
        using var refused = await wrongKey.GetAsync(Sandbox.Origin);
        using var reset = await wrongKey.PostAsync(new Uri(Sandbox.Origin!, "sandbox/reset"), null);

        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, reset.StatusCode);
    }

    [Fact]
    public async Task MailboxLink_OfTheManagerShell_SignsTheBrowserInToTheSandboxAcrossOrigins()
    {
        Browser.RequireChromium();
        await Sandbox.Sandbox.HandleAsync(new SandboxRequest("POST", "/users/programmes@contoso.test/sendMail", new Dictionary<string, string>(),
            $$$"""{"message":{"subject":"Please confirm your match","body":{"contentType":"HTML","content":"<a href=\"{{{SignedLink}}}\">Confirm</a>"},"toRecipients":[{"emailAddress":{"address":"mentee@contoso.test"}}]}}""",
            null));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);

        // Someone without the manager's session reaches the sandbox directly: a sign-in form, no mail.
        var stranger = await browser.NewPageAsync();
        var direct = await stranger.GotoAsync(new Uri(Sandbox.Origin!, "mailbox/mentee%40contoso.test").ToString());
        Assert.Equal(401, direct!.Status);
        await Assertions.Expect(stranger.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the Graph sandbox" })).ToBeVisibleAsync();
        Assert.DoesNotContain("Please confirm your match", await stranger.ContentAsync(), StringComparison.Ordinal);

        // The manager opens the shell on "localhost" (another site than the sandbox's 127.0.0.1), signs in, clicks Mailbox.
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)Browser.Slow.TotalMilliseconds);
        await page.GotoAsync($"http://localhost:{_server.BaseAddress.Port}/");
        await page.GetByLabel("Manager API key").FillAsync(ServerFactory.ManagerKey);
        await page.GetByRole(AriaRole.Dialog, new() { Name = "Sign in to MentorFlow" }).GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Mailbox (Graph sandbox)" }).ClickAsync();

        await page.WaitForURLAsync(Sandbox.Origin!.ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "MentorFlow Graph sandbox", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "mentee@contoso.test", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("Please confirm your match")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "sandbox-01-mailbox-after-shell-sign-in");

        // The ticket was used once; the session is an HttpOnly cookie the page cannot read.
        var cookie = Assert.Single(await context.CookiesAsync([Sandbox.Origin.ToString()]), c => c.Name == SandboxAccess.CookieName);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.Equal(string.Empty, await page.EvaluateAsync<string>("document.cookie"));
        await context.CloseAsync();
    }
}
