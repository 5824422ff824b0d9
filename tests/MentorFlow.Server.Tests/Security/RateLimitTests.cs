using System.Net;
using MentorFlow.Server.Tests.Infrastructure;

namespace MentorFlow.Server.Tests.Security;

/// <summary>Per-client limits: wrong manager keys, and the anonymous participant forms.</summary>
public sealed class RateLimitTests
{
    private static readonly Uri InfoUrl = new("/api/system", UriKind.Relative);

    [Fact]
    public async Task WrongKeys_PastTheLimit_Get429WithRetryAfter_EvenWithTheRightKey_UntilTheWindowEnds()
    {
        using var server = new ServerFactory { Settings = { ["Security:RateLimiting:FailedAuthentication:PermitLimit"] = "3" } };
        using var guesser = server.CreateClient();
        using var manager = server.CreateManagerClient();

        var guesses = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, InfoUrl);
            request.Headers.Authorization = new("ApiKey", $"guess-{i}-0123456789abcdef");
            guesses.Add(await guesser.SendAsync(request));
        }

        var rightKeyWhileLocked = await manager.GetAsync(InfoUrl);
        server.Clock.Advance(TimeSpan.FromSeconds(61));
        var rightKeyAfterWindow = await manager.GetAsync(InfoUrl);

        Assert.Equal([401, 401, 401, 429, 429], guesses.Select(g => (int)g.StatusCode));
        var retryAfter = guesses[3].Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Equal("application/problem+json", guesses[3].Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.TooManyRequests, rightKeyWhileLocked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rightKeyAfterWindow.StatusCode);
    }

    [Fact]
    public async Task FormRequests_PastTheLimit_Get429WithRetryAfterAndAFriendlyPage()
    {
        using var server = new ServerFactory { Settings = { ["Security:RateLimiting:Forms:PermitLimit"] = "5" } };
        using var client = server.CreateClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 40; i++)
        {
            var response = await client.PostAsync(new Uri("/forms/bogus-token", UriKind.Relative), new FormUrlEncodedContent([new("name", "x")]));
            statuses.Add(response.StatusCode);
            limited ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.BadRequest));
        Assert.Equal(35, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.NotNull(limited);
        Assert.InRange(limited.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
        Assert.Equal("text/html", limited.Content.Headers.ContentType?.MediaType);
        var page = await limited.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Too many requests</h1>", page, StringComparison.Ordinal);
        Assert.Contains("open the link from your email again", page, StringComparison.Ordinal);
    }
}
