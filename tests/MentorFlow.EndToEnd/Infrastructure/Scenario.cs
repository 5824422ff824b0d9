using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MentorFlow.Graph.Outbox;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Server.Persistence;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.EndToEnd.Infrastructure;

/// <summary>
/// Drives the real server through accelerated time: the fake clock moves a day at a time, due workflow timers fire,
/// the Graph outbox is dispatched to the embedded sandbox, and participants follow the links in their mail.
/// </summary>
public sealed partial class Scenario(MentorFlowApp app)
{
    public static Dictionary<string, string?> Settings() => new()
    {
        ["Graph:Dispatcher:Enabled"] = "false",
        ["GraphSandbox:Port"] = "0",

        // The scenario is the only one to fire timers (at each stop of the fake clock), so every step is settled when
        // AdvanceAsync returns: no background sweep or Quartz job racing it.
        ["Workflows:EnableBackgroundServices"] = "false",
    };

    public MentorFlowApp App => app;

    public HttpClient Manager { get; } = app.Manager();

    public HttpClient Participant { get; } = app.Participant();

    public GraphSandbox Sandbox => app.Services.GetRequiredService<GraphSandbox>();

    /// <summary>Sends everything queued in the outbox to the sandbox.</summary>
    public async Task DispatchAsync()
    {
        var dispatcher = app.Services.GetRequiredService<GraphOutboxDispatcher<MentorFlowDbContext>>();
        for (var round = 0; round < 10_000 && await dispatcher.DispatchOnceAsync(CancellationToken.None) > 0; round++)
        {
        }
    }

    /// <summary>
    /// Moves the clock forward, stopping at each due workflow timer on the way (jumping straight to it), firing the
    /// due timers and dispatching the outbox at every stop.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan span)
    {
        var maintenance = app.Services.GetRequiredService<IWorkflowEngineMaintenance>();
        var target = app.Clock.GetUtcNow() + span;
        var stalled = 0;
        while (true)
        {
            var next = await maintenance.ListTimersDueBeforeAsync(target, 1);
            var stop = next.Count > 0 && next[0].DueAt < target ? next[0].DueAt : target;
            stalled = stop <= app.Clock.GetUtcNow() ? stalled + 1 : 0;
            if (stalled > 3)
            {
                stop = target;
            }

            if (stop > app.Clock.GetUtcNow())
            {
                app.Clock.Advance(stop - app.Clock.GetUtcNow());
            }

            for (var i = 0; i < 20 && await maintenance.FireDueTimersAsync() > 0; i++)
            {
            }

            await DispatchAsync();
            if (app.Clock.GetUtcNow() >= target)
            {
                return;
            }
        }
    }

    public IReadOnlyList<SandboxMessage> MailTo(string email) =>
        Sandbox.MessagesAsync().GetAwaiter().GetResult().Where(m => m.To.Any(t => string.Equals(t.Address, email, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>The form links (paths) in the newest mail to <paramref name="email"/> whose subject contains <paramref name="subject"/>.</summary>
    public IReadOnlyList<string> Links(string email, string subject)
    {
        var mail = MailTo(email).Where(m => m.Subject.Contains(subject, StringComparison.Ordinal)).OrderBy(m => m.SentAt).LastOrDefault()
            ?? throw new InvalidOperationException($"{email} has no mail about '{subject}' (has: {string.Join(" | ", MailTo(email).Select(m => m.Subject))})");
        return FormLink().Matches(mail.BodyContent).Select(m => new Uri(WebUtility.HtmlDecode(m.Value)).PathAndQuery).ToList();
    }

    /// <summary>The first form link of every mail to <paramref name="email"/> whose subject contains <paramref name="subject"/>.</summary>
    public IReadOnlyList<string> AllLinks(string email, string subject) =>
        MailTo(email).Where(m => m.Subject.Contains(subject, StringComparison.Ordinal)).OrderBy(m => m.SentAt)
            .Select(m => new Uri(WebUtility.HtmlDecode(FormLink().Match(m.BodyContent).Value)).PathAndQuery).ToList();

    public async Task SubmitAsync(string path, params (string Name, string Value)[] fields)
    {
        var response = await Participant.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"POST {path} gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async Task<HttpResponseMessage> PostAsync(string path, object? body = null)
    {
        var response = body is null ? await Manager.PostAsync(path, null) : await Manager.PostAsJsonAsync(path, body, MentorFlowApp.Json);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return response;
    }

    [GeneratedRegex("https?://localhost/forms/[A-Za-z0-9_\\-\\.]+")]
    private static partial Regex FormLink();
}
