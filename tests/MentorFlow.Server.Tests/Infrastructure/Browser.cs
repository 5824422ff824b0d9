using Microsoft.Playwright;

namespace MentorFlow.Server.Tests.Infrastructure;

/// <summary>Debian Chromium (/usr/bin/chromium) driven by Playwright, pages on a <see cref="KestrelServer"/>, screenshots.</summary>
internal static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static readonly TimeSpan Slow = TimeSpan.FromSeconds(120);

    public static void RequireChromium() =>
        Assert.True(File.Exists(ChromiumPath), "Debian Chromium is missing: apt-get install -y chromium (./test.sh does it).");

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = ChromiumPath,
        Headless = true,
        Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });

    /// <summary>A page on the server; with <paramref name="signedIn"/> the manager key is already in the tab's session storage (as after the shell's sign-in).</summary>
    public static async Task<IPage> NewPageAsync(IBrowser browser, KestrelServer server, int width = 1600, int height = 1000, bool signedIn = true)
    {
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height }, BaseURL = server.BaseAddress.ToString() });
        page.SetDefaultTimeout((float)Slow.TotalMilliseconds);
        Assertions.SetDefaultExpectTimeout((float)Slow.TotalMilliseconds);
        if (signedIn)
        {
            await page.AddInitScriptAsync($"sessionStorage.setItem('mentorflow.managerApiKey', '{ServerFactory.ManagerKey}');");
        }

        return page;
    }

    /// <summary>Saves a screenshot as <c>{name}.png</c> in <see cref="ScreenshotFolder"/>; returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        var folder = ScreenshotFolder();
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = fullPage });
        return path;
    }

    /// <summary><c>$MENTORFLOW_ARTIFACTS/screenshots</c>, else <c>artifacts/screenshots</c> of the repository.</summary>
    public static string ScreenshotFolder()
    {
        if (Environment.GetEnvironmentVariable("MENTORFLOW_ARTIFACTS") is { Length: > 0 } artifacts)
        {
            return Path.Combine(artifacts, "screenshots");
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MentorFlow.sln")))
            {
                return Path.Combine(directory.FullName, "artifacts", "screenshots");
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "screenshots");
    }
}

/// <summary>
/// What went wrong on a page while a test drove it: console errors (Chromium reports CSP violations, failed loads and
/// the Studio's unhandled Blazor exceptions there), uncaught exceptions, and Elsa API answers of 400 or more.
/// </summary>
internal sealed class PageProblems
{
    private readonly Lock _gate = new();
    private readonly List<string> _problems = [];

    private PageProblems(IPage page)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Add($"console error: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => Add($"page error: {error}");
        page.Response += (_, response) =>
        {
            if (response.Url.Contains("/elsa/api/", StringComparison.Ordinal) && response.Status >= 400)
            {
                Add($"{response.Status} {response.Request.Method} {response.Url}");
            }
        };
    }

    /// <summary>Starts recording the problems of <paramref name="page"/> (call before the first navigation).</summary>
    public static PageProblems Watch(IPage page) => new(page);

    /// <summary>Fails with every problem seen so far.</summary>
    public void AssertNone()
    {
        lock (_gate)
        {
            Assert.True(_problems.Count == 0, "problems on the page:\n" + string.Join("\n", _problems));
        }
    }

    /// <summary>
    /// Runs <paramref name="wait"/>; if it times out, saves a screenshot (<c>{name}-timed-out.png</c>) and fails with
    /// the page's address and every problem seen so far, so that a wait that never ends says what the page did instead.
    /// </summary>
    public async Task WaitAsync(IPage page, string name, Func<Task> wait)
    {
        try
        {
            await wait();
        }
        catch (TimeoutException timeout)
        {
            string shot;
            try
            {
                shot = await Browser.ScreenshotAsync(page, name + "-timed-out");
            }
            catch (PlaywrightException failed)
            {
                shot = "none (" + failed.Message + ")";
            }

            string seen;
            lock (_gate)
            {
                seen = _problems.Count == 0 ? "none" : string.Join("\n", _problems);
            }

            throw new TimeoutException($"{name}: {timeout.Message}\npage at {page.Url}; screenshot {shot}\nproblems on the page: {seen}", timeout);
        }
    }

    private void Add(string problem)
    {
        lock (_gate)
        {
            _problems.Add(problem);
        }
    }
}
