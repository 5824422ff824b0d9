using MentorFlow.Graph.Gateway;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace MentorFlow.Graph.Tests.Infrastructure;

/// <summary>
/// A manager at the sandbox in Debian Chromium: a real sandbox (<see cref="SandboxServer"/>) on a fake clock, seeded
/// through the real gateway, and a desktop-sized page signed in from the sandbox's front page with the manager key.
/// From sign-in on it counts console errors (CSP violations, failed loads) and dialogs (a script that ran).
/// One per test: each test seeds its own sandbox.
/// </summary>
public sealed class SandboxBrowser : IAsyncDisposable
{
    /// <summary>How long a step may take on a loaded machine.</summary>
    public static readonly TimeSpan Slow = TimeSpan.FromSeconds(90);

    /// <summary>Tuesday 10 March 2026, 09:00 UTC (10:00 in Berlin, the zone of the seeded invites).</summary>
    public static readonly DateTimeOffset TuesdayMorning = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private readonly List<string> _consoleErrors = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IBrowserContext? _context;
    private IPage? _page;

    private SandboxBrowser(FakeTimeProvider clock, SandboxServer server)
    {
        Clock = clock;
        Server = server;
    }

    public FakeTimeProvider Clock { get; }

    public SandboxServer Server { get; }

    /// <summary>The browser context of <see cref="Page"/> (tabs the page opens belong to it).</summary>
    public IBrowserContext Context => _context ?? throw new InvalidOperationException("Sign in first.");

    /// <summary>The signed-in page.</summary>
    public IPage Page => _page ?? throw new InvalidOperationException("Sign in first.");

    /// <summary>Console errors since sign-in.</summary>
    public IReadOnlyList<string> ConsoleErrors => _consoleErrors;

    /// <summary>Dialogs (alert, confirm, prompt) opened since sign-in, each dismissed.</summary>
    public int Dialogs { get; private set; }

    /// <summary>Starts a sandbox whose clock reads <paramref name="now"/> (<see cref="TuesdayMorning"/> when none).</summary>
    public static async Task<SandboxBrowser> StartAsync(DateTimeOffset? now = null)
    {
        Assert.True(File.Exists(BrowserShots.ChromiumPath), "Debian Chromium is missing: apt-get install -y chromium (./test.sh does it).");
        var clock = new FakeTimeProvider(now ?? TuesdayMorning);
        return new SandboxBrowser(clock, await SandboxServer.StartAsync(clock: clock));
    }

    /// <summary>Sends <paramref name="operations"/> from the organizer's mailbox through the gateway.</summary>
    public Task<IReadOnlyDictionary<string, GraphCallResult>> SendAsync(params GraphOperation[] operations) =>
        Server.CreateGateway().ExecuteAsync(SandboxServer.Organizer, operations, CancellationToken.None);

    /// <summary>
    /// Opens the sandbox's front page in Chromium (1400×1000), signs in with the manager key and waits for the list
    /// of mailboxes; returns that page (also <see cref="Page"/>).
    /// </summary>
    public async Task<IPage> SignInAsync()
    {
        if (_page is not null)
        {
            throw new InvalidOperationException("Already signed in.");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await BrowserShots.LaunchAsync(_playwright);
        _context = await _browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await _context.NewPageAsync();
        page.SetDefaultTimeout((float)Slow.TotalMilliseconds);

        // The sandbox's address, as the AppHost prints it; its sign-in form answers 401, which Chromium logs: not counted.
        await page.GotoAsync(Server.Origin.ToString());
        await page.GetByLabel("Manager API key").FillAsync(SandboxServer.ManagerKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "MentorFlow Graph sandbox", Level = 1 })).ToBeVisibleAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_consoleErrors)
                {
                    _consoleErrors.Add(message.Text);
                }
            }
        };
        page.Dialog += (_, dialog) =>
        {
            Dialogs++;
            _ = dialog.DismissAsync();
        };
        _page = page;
        return page;
    }

    /// <summary>Asserts that no dialog opened and nothing was logged as an error since sign-in.</summary>
    public void AssertNoScriptRanAndNothingFailed()
    {
        Assert.Equal(0, Dialogs);
        lock (_consoleErrors)
        {
            Assert.True(_consoleErrors.Count == 0, "console errors (CSP violations, failed loads):\n" + string.Join('\n', _consoleErrors));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.CloseAsync();
        }

        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}
