using System.Net;
using System.Net.Http.Headers;
using MentorFlow.Graph.Gateway;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Graph.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Graph.Tests;

/// <summary>
/// The sandbox is no open door, over real HTTP: only its own host names, the bearer token on <c>/v1.0</c>, a manager
/// key or session for the pages, the key header for the controls.
/// </summary>
public sealed class SandboxSecurityTests : IAsyncLifetime
{
    private const string SignedLink = "https://mentoring.test/forms/default.c2VjcmV0.bWFj";
    private SandboxServer _server = null!;
    private readonly HttpClient _anonymous = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync();
        await _server.CreateGateway().ExecuteAsync(SandboxServer.Organizer,
            [new SendMailOperation("m", "mail", Requests.Mail() with { HtmlBody = $"<p><a href=\"{SignedLink}\">Confirm</a></p>" })],
            CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _server.DisposeAsync();
    }

    private Uri At(string path) => new(_server.Origin, path);

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:5099")]
    [InlineData("127.0.0.1.nip.io")]
    public async Task AnyPage_WithAForeignHostHeader_Is400EvenWithAKey(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, At("mailbox/mentee%40contoso.test"));
        request.Headers.Host = host;
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", SandboxServer.ManagerKey);

        using var response = await _anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("forms/", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task MailboxPage_WithALoopbackHostAndAManagerKey_ShowsTheMail(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, At("mailbox/mentee%40contoso.test"));
        request.Headers.Host = $"{host}:{_server.Origin.Port}";
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", SandboxServer.ManagerKey);

        using var response = await _anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = System.Text.RegularExpressions.Regex.Match(await response.Content.ReadAsStringAsync(), "src=\"(/mailbox/[^\"]+/body)\"").Groups[1].Value;
        using var bodyRequest = new HttpRequestMessage(HttpMethod.Get, At(body.TrimStart('/')));
        bodyRequest.Headers.Host = $"{host}:{_server.Origin.Port}";
        bodyRequest.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", SandboxServer.ManagerKey);
        using var framed = await _anonymous.SendAsync(bodyRequest);
        Assert.Equal(HttpStatusCode.OK, framed.StatusCode);
        Assert.Contains("forms/default.c2VjcmV0", await framed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("mailbox/mentee%40contoso.test")]
    [InlineData("mailbox/mentee%40contoso.test/events/x.ics")]
    public async Task Pages_WithoutAKey_Are401WithTheSignInFormAndNoMailboxContent(string path)
    {
        using var wrongKey = new HttpRequestMessage(HttpMethod.Get, At(path));
        wrongKey.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", "not-the-manager-key-0123456789");

        using var response = await _anonymous.GetAsync(At(path));
        using var refused = await _anonymous.SendAsync(wrongKey);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("<form method=\"post\" action=\"/sandbox/sign-in\" class=\"sb-sign-in\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Mail (1)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("mailboxes</caption>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("forms/", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_WithoutAKey_Is401AndKeepsTheMail()
    {
        using var response = await _anonymous.PostAsync(At("sandbox/reset"), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(await _server.Sandbox.MessagesAsync());
    }

    [Fact]
    public async Task Reset_AsACrossSiteFormPostCarryingTheManagersSessionCookie_Is401AndKeepsTheMail()
    {
        var cookie = await SignInAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, At("sandbox/reset"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }),
        };
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await _anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(await _server.Sandbox.MessagesAsync());
    }

    [Fact]
    public async Task ResetAndFaults_WithTheManagerKeyHeader_Work()
    {
        using var manager = _server.CreateManagerHttpClient();

        using var fault = await manager.PostAsync(At("sandbox/faults"), new StringContent(
            "{\"status\":503,\"code\":\"ServiceUnavailable\",\"message\":\"Busy.\",\"count\":1}", System.Text.Encoding.UTF8, "application/json"));
        using var anonymousFault = await _anonymous.PostAsync(At("sandbox/faults"), new StringContent(
            "{\"status\":503,\"code\":\"ServiceUnavailable\",\"message\":\"Busy.\",\"count\":1}", System.Text.Encoding.UTF8, "application/json"));
        using var reset = await manager.PostAsync(At("sandbox/reset"), null);

        Assert.Equal(HttpStatusCode.Accepted, fault.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousFault.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Empty(await _server.Sandbox.MessagesAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token-wrong-token-wrong-token-00")]
    [InlineData("ApiKey " + SandboxServer.ManagerKey)]
    public async Task SendMail_WithoutTheBearerToken_Is401AndNothingIsStored(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, At("v1.0/users/x%40contoso.test/sendMail"))
        {
            Content = new StringContent(
                "{\"message\":{\"subject\":\"Injected\",\"body\":{\"contentType\":\"HTML\",\"content\":\"hi\"},\"toRecipients\":[{\"emailAddress\":{\"address\":\"victim@contoso.test\"}}]}}",
                System.Text.Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await _anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("InvalidAuthenticationToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain((await _server.Sandbox.MessagesAsync()), m => m.Subject == "Injected");
    }

    [Fact]
    public async Task SdkClient_WithTheToken_SendsMail()
    {
        await _server.Client.Users["x@contoso.test"].SendMail.PostAsync(new Microsoft.Graph.Users.Item.SendMail.SendMailPostRequestBody
        {
            Message = new Microsoft.Graph.Models.Message
            {
                Subject = "Through the SDK",
                Body = new Microsoft.Graph.Models.ItemBody { ContentType = Microsoft.Graph.Models.BodyType.Html, Content = "<p>hi</p>" },
                ToRecipients = [new Microsoft.Graph.Models.Recipient { EmailAddress = new Microsoft.Graph.Models.EmailAddress { Address = "y@contoso.test" } }],
            },
        });

        Assert.Contains((await _server.Sandbox.MessagesAsync()), m => m.Subject == "Through the SDK");
    }

    [Fact]
    public async Task SignIn_WithAWrongKey_Is401_WithTheRightKey_SetsAnHttpOnlyLaxCookieThatOpensThePages()
    {
        using var wrong = await _anonymous.PostAsync(At("sandbox/sign-in"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = "guess-guess-guess-guess",
            ["returnUrl"] = "/",
        }));
        using var right = await _anonymous.PostAsync(At("sandbox/sign-in"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = SandboxServer.ManagerKey,
            ["returnUrl"] = "/mailbox/mentee%40contoso.test",
        }));
        var setCookie = Assert.Single(right.Headers.GetValues("Set-Cookie"));
        using var page = new HttpRequestMessage(HttpMethod.Get, At("mailbox/mentee%40contoso.test"));
        page.Headers.Add("Cookie", setCookie.Split(';')[0]);
        using var shown = await _anonymous.SendAsync(page);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.SeeOther, right.StatusCode);
        Assert.Equal("/mailbox/mentee%40contoso.test", right.Headers.Location!.OriginalString);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task SignIn_WithAnOffSiteReturnUrl_GoesToTheMailboxListInstead(string returnUrl)
    {
        using var response = await _anonymous.PostAsync(At("sandbox/sign-in"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = SandboxServer.ManagerKey,
            ["returnUrl"] = returnUrl,
        }));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Ticket_OpensASessionOnce_ASecondUseIsRefused()
    {
        var ticket = _server.Host.Access.IssueTicket("/mailbox/mentee%40contoso.test");

        using var first = await _anonymous.PostAsync(At("sandbox/session"), new FormUrlEncodedContent(new Dictionary<string, string> { ["ticket"] = ticket }));
        using var again = await _anonymous.PostAsync(At("sandbox/session"), new FormUrlEncodedContent(new Dictionary<string, string> { ["ticket"] = ticket }));
        using var forged = await _anonymous.PostAsync(At("sandbox/session"), new FormUrlEncodedContent(new Dictionary<string, string> { ["ticket"] = ticket[..^2] + "AA" }));

        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal("/mailbox/mentee%40contoso.test", first.Headers.Location!.OriginalString);
        Assert.StartsWith(SandboxAccess.CookieName + "=", Assert.Single(first.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task TicketsAndSessions_Expire()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        using var database = new TestDatabase();
        var access = new SandboxAccess(new GraphSandboxOptions { SessionLifetime = TimeSpan.FromMinutes(30) }, clock, null,
            new SandboxStore(database.CreateContext));
        var ticket = access.IssueTicket("/");
        var session = access.IssueSession();

        clock.Advance(TimeSpan.FromSeconds(61));
        var ticketLate = await access.RedeemTicketAsync(ticket, CancellationToken.None);
        var sessionAfter61Seconds = access.IsSession(session);
        clock.Advance(TimeSpan.FromMinutes(30));

        Assert.Null(ticketLate);
        Assert.True(sessionAfter61Seconds);
        Assert.False(access.IsSession(session));
        Assert.False(access.IsManagerKey("any-key-without-a-policy-0123456789"));
    }

    [Theory]
    [InlineData("127.0.0.1", new[] { "127.0.0.1", "localhost", "[::1]" })]
    [InlineData("localhost", new[] { "localhost", "127.0.0.1", "[::1]" })]
    [InlineData("0.0.0.0", new[] { "localhost", "127.0.0.1", "[::1]", "sandbox.example.org" })]
    [InlineData("10.1.2.3", new[] { "10.1.2.3", "sandbox.example.org" })]
    public void AllowedHostNames_AreTheBoundHostLoopbackNamesForLoopbackOrWildcardAndTheSetting(string bound, string[] expected)
    {
        var names = GraphSandboxHost.AllowedHostNames(bound, bound is "0.0.0.0" or "10.1.2.3" ? ["sandbox.example.org"] : []);

        Assert.Equal(expected.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Options_WithAShortAccessTokenOrAHostWithAPort_NameTheSetting()
    {
        var options = new GraphSandboxOptions { AccessToken = "short" };
        options.AllowedHosts.Add("sandbox.example.org:5099");

        var result = new GraphSandboxOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.StartsWith("GraphSandbox:AccessToken must be at least 32 characters", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("GraphSandbox:AllowedHosts:0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientProvider_InSandboxModeAgainstAnExternalSandbox_SendsTheConfiguredToken()
    {
        using var client = GraphClientProvider.CreateSandboxClient(_server.BaseUrl.ToString().TrimEnd('/'), accessToken: null);

        var refused = await Assert.ThrowsAsync<Microsoft.Graph.Models.ODataErrors.ODataError>(() =>
            client.Users["x@contoso.test"].Events.GetAsync());

        Assert.Equal(401, refused.ResponseStatusCode);
    }

    private async Task<string> SignInAsync()
    {
        using var response = await _anonymous.PostAsync(At("sandbox/sign-in"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = SandboxServer.ManagerKey,
            ["returnUrl"] = "/",
        }));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
    }
}
