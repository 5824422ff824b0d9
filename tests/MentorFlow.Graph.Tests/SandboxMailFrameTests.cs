using System.Net;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Graph.Sandbox.Pages;
using MentorFlow.Graph.Tests.Infrastructure;

namespace MentorFlow.Graph.Tests;

/// <summary>
/// How the mailbox view shows hostile mail over HTTP: pages under a strict policy (no script, no inline style), each
/// HTML body its own sandboxed document in which no script survives and every link opens a new tab.
/// </summary>
public sealed class SandboxMailFrameTests : IAsyncLifetime
{
    private const string Hostile = """
        <html><head><base href="https://evil.test/" target="_self"><meta http-equiv="refresh" content="0;url=https://evil.test/">
        <script>alert(1)</script></head>
        <body onload="alert(2)"><p style="color:red">Please confirm your match</p>
        <a href="https://forms.contoso.test/confirm?t=abc" target="_self" onclick="alert(3)">Confirm</a>
        <a href="javascript:alert(4)">Click</a><a href="mailto:team@contoso.test">Write to us</a>
        <img src="x" onerror="alert(5)"><iframe src="https://evil.test/"></iframe>
        <form action="https://evil.test/"><button formaction="https://evil.test/">Go</button></form>
        <svg><script>alert(6)</script></svg></body></html>
        """;

    private SandboxServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync();
        _http = _server.CreateManagerHttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<SandboxMessage> SendHostileMailAsync()
    {
        await _server.Sandbox.HandleAsync(new SandboxRequest("POST", "/users/programmes@contoso.test/sendMail", new Dictionary<string, string>(),
            System.Text.Json.JsonSerializer.Serialize(new
            {
                message = new
                {
                    subject = "Please confirm <b>your</b> match",
                    body = new { contentType = "HTML", content = Hostile },
                    toRecipients = new[] { new { emailAddress = new { address = "mentee@contoso.test" } } },
                },
            })));
        return Assert.Single(await _server.Sandbox.Store.MessagesAsync(person: "mentee@contoso.test"));
    }

    [Fact]
    public async Task MailboxPage_FramesAnHtmlMailAsItsOwnSandboxedDocument_UnderAStrictPolicy()
    {
        var mail = await SendHostileMailAsync();

        using var response = await _http.GetAsync(new Uri(_server.Origin, "mailbox/mentee%40contoso.test"));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MailboxPages.PagePolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.StartsWith("default-src 'none';", MailboxPages.PagePolicy, StringComparison.Ordinal); // no script source at all
        Assert.DoesNotContain("'unsafe-inline'", MailboxPages.PagePolicy, StringComparison.Ordinal);
        Assert.Contains("Please confirm &lt;b&gt;your&lt;/b&gt; match", page, StringComparison.Ordinal);
        Assert.Contains($"<iframe class=\"sb-body\" sandbox=\"allow-popups allow-popups-to-escape-sandbox\" src=\"/mailbox/mentee%40contoso.test/messages/{mail.Id}/body\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("style=", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("srcdoc", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MailBody_KeepsItsText_OpensEveryLinkInANewTab_AndRunsNothing()
    {
        var mail = await SendHostileMailAsync();

        using var response = await _http.GetAsync(new Uri(_server.Origin, $"mailbox/mentee%40contoso.test/messages/{mail.Id}/body"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("sandbox allow-popups allow-popups-to-escape-sandbox", policy, StringComparison.Ordinal);
        Assert.Equal("SAMEORIGIN", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("Please confirm your match", body, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://forms.contoso.test/confirm?t=abc\" target=\"_blank\" rel=\"noopener noreferrer\">Confirm</a>", body, StringComparison.Ordinal);
        Assert.Contains("<a href=\"mailto:team@contoso.test\" target=\"_blank\" rel=\"noopener noreferrer\">", body, StringComparison.Ordinal);
        foreach (var forbidden in new[] { "<script", "alert(", "javascript:", "<base", "http-equiv", "<iframe", "<form", "formaction", "onerror", "onload", "onclick", "_self" })
        {
            Assert.DoesNotContain(forbidden, body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task MailBody_OfAnotherPersonsMail_IsNotFound()
    {
        var mail = await SendHostileMailAsync();

        using var response = await _http.GetAsync(new Uri(_server.Origin, $"mailbox/stranger%40contoso.test/messages/{mail.Id}/body"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task IconAndStylesheet_AreServedWithoutSignIn_AndPagesAskForNothingElse()
    {
        using var anonymous = new HttpClient();

        using var icon = await anonymous.GetAsync(new Uri(_server.Origin, "favicon.ico"));
        using var css = await anonymous.GetAsync(new Uri(_server.Origin, "sandbox.css"));
        using var signIn = await anonymous.GetAsync(new Uri(_server.Origin, "mailbox/mentee%40contoso.test"));
        var page = await signIn.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/x-icon", icon.Content.Headers.ContentType!.MediaType);
        Assert.Equal(SandboxAssets.Icon, await icon.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Contains("<link rel=\"icon\" href=\"/favicon.ico\">", page, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/sandbox.css\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", page, StringComparison.Ordinal);
    }
}
