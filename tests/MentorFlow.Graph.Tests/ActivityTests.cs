using System.Text.Json.Nodes;
using MentorFlow.Graph.Outbox;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Graph.Tests.Infrastructure;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Descriptors;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Graph.Tests;

/// <summary>The five activities run by the real workflow engine; their outbox rows go out through the sandbox.</summary>
public sealed class ActivityTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private SandboxServer _server = null!;
    private DispatcherHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync();
        _harness = await DispatcherHarness.StartAsync(_server, _database, withEngine: true);
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _server.DisposeAsync();
        _database.Dispose();
    }

    private IWorkflowRuntime Runtime => _harness.Services.GetRequiredService<IWorkflowRuntime>();

    [Fact]
    public void Registry_ListsTheFiveActivitiesWithDescriptorsForTheDesigner()
    {
        var descriptors = _harness.Services.GetRequiredService<IActivityRegistry>().List()
            .Where(d => d.Category == "Outlook")
            .ToDictionary(d => d.TypeName);

        Assert.Equal(
            ["MentorFlow.CancelInvite", "MentorFlow.CreateInvite", "MentorFlow.CreateRecurringSeries", "MentorFlow.SendEmail", "MentorFlow.UpdateInvite"],
            descriptors.Keys.Order());
        var sendEmail = descriptors["MentorFlow.SendEmail"];
        Assert.Equal("Liquid", sendEmail.Inputs.Single(i => i.Name == "Subject" || i.Name == "subject").DefaultSyntax);
        Assert.Contains(sendEmail.Ports, p => p.Name == "Queued");
        Assert.Contains(descriptors["MentorFlow.CreateRecurringSeries"].Inputs, i => i.UIHint == "dropdown");
    }

    [Fact]
    public async Task Flow_WithAllFiveActivities_QueuesOneRowPerStepAndTheDispatcherSendsThem()
    {
        var definitionId = await PublishAsync(Flow(
            Step("kickoff", "MentorFlow.CreateInvite",
                ("attendees", Liquid("{{ Input.Mentee }}; {{ Input.Mentor }}")),
                ("subject", Liquid("Kick-off: {{ Input.MenteeName }} and {{ Input.MentorName }}")),
                ("htmlBody", Liquid("<p>Agenda for {{ Input.MenteeName }}</p>")),
                ("start", Literal("2026-03-02T09:00")),
                ("durationMinutes", Literal("45", "Int32")),
                ("timeZone", Literal("Europe/London")),
                ("teamsMeeting", Literal("true", "Boolean"))),
            Step("checkins", "MentorFlow.CreateRecurringSeries",
                ("attendees", Liquid("{{ Input.Mentee }}, {{ Input.Mentor }}")),
                ("subject", Liquid("Check-in {{ Input.MenteeName }}")),
                ("firstMeeting", Literal("2026-03-16T17:30")),
                ("timeZone", Literal("America/New_York")),
                ("cadence", Literal("EveryTwoWeeks")),
                ("endDate", Literal("2026-08-31")),
                ("programmeEnd", Literal("2026-09-30"))),
            Step("move", "MentorFlow.UpdateInvite",
                ("inviteKey", Liquid("{{ Activities.kickoff.InviteKey }}")),
                ("start", Literal("2026-03-03T10:00")),
                ("timeZone", Literal("Europe/London"))),
            Step("welcome", "MentorFlow.SendEmail",
                ("to", Liquid("{{ Input.Mentee }}")),
                ("replyTo", Literal("programme@contoso.test")),
                ("subject", Liquid("Welcome, {{ Input.MenteeName }}!")),
                ("htmlBody", Liquid("<p>Hi {{ Input.MenteeName }}, here are the resources.</p>"))),
            Step("stop", "MentorFlow.CancelInvite",
                ("inviteKey", Liquid("{{ Activities.checkins.SeriesKey }}")),
                ("comment", Liquid("{{ Input.MenteeName }} met the goal early.")))));

        var started = await Runtime.StartAsync(definitionId, new Dictionary<string, object?>
        {
            ["Mentee"] = "ana@contoso.test",
            ["MenteeName"] = "Ana",
            ["Mentor"] = "ben@contoso.test",
            ["MentorName"] = "Ben",
        });
        var queued = await _harness.MessagesAsync();
        await _harness.RunUntilSettledAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(WorkflowStatus.Finished, started.Status);
        Assert.Equal(5, queued.Count);
        Assert.All(queued, m => Assert.StartsWith(started.InstanceId + ":", m.IdempotencyKey, StringComparison.Ordinal));
        Assert.All(await _harness.MessagesAsync(), m => Assert.Equal(GraphMessageStatus.Sent, m.Status));
        var events = (await _server.Sandbox.EventsAsync());
        var kickoff = events.Single(e => e.Recurrence is null);
        Assert.Equal("Kick-off: Ana and Ben", kickoff.Subject);
        Assert.Equal(new DateTime(2026, 3, 3, 10, 0, 0), kickoff.Start);
        Assert.Equal(TimeSpan.FromMinutes(30), kickoff.End - kickoff.Start);
        Assert.Equal("GMT Standard Time", kickoff.TimeZone);
        Assert.True(kickoff.IsOnlineMeeting);
        var series = events.Single(e => e.Recurrence is not null);
        Assert.Equal("Eastern Standard Time", series.TimeZone);
        Assert.Equal(2, series.Recurrence!.Interval);
        Assert.Equal(new DateOnly(2026, 8, 31), series.Recurrence.EndDate);
        Assert.True(series.IsCancelled);
        Assert.Equal("Ana met the goal early.", series.CancellationComment);
        var mail = Assert.Single(await _server.Sandbox.MessagesAsync());
        Assert.Equal("Welcome, Ana!", mail.Subject);
        Assert.Equal("ana@contoso.test", Assert.Single(mail.To).Address);
    }

    [Fact]
    public async Task Flow_WithHostileInput_EncodesValuesInBodies_KeepsSubjectsOnOneLine_AndRawInsertsTrustedHtml()
    {
        var definitionId = await PublishAsync(Flow(
            Step("kickoff", "MentorFlow.CreateInvite",
                ("attendees", Liquid("{{ Input.Mentee }}")),
                ("subject", Liquid("Kick-off: {{ Input.MenteeName }}")),
                ("htmlBody", Liquid("<p>Agenda for <strong>{{ Input.MenteeName }}</strong></p>")),
                ("location", Liquid("Room {{ Input.MenteeName }}")),
                ("start", Literal("2026-03-02T09:00")),
                ("timeZone", Literal("Europe/London"))),
            Step("checkins", "MentorFlow.CreateRecurringSeries",
                ("attendees", Liquid("{{ Input.Mentee }}")),
                ("subject", Liquid("Check-in {{ Input.MenteeName }}")),
                ("htmlBody", Liquid("<p>{{ Input.MenteeName | upcase }}</p>")),
                ("firstMeeting", Literal("2026-03-16T17:30")),
                ("timeZone", Literal("Europe/London")),
                ("endDate", Literal("2026-08-31"))),
            Step("move", "MentorFlow.UpdateInvite",
                ("inviteKey", Liquid("{{ Activities.kickoff.InviteKey }}")),
                ("subject", Liquid("Moved: {{ Input.MenteeName }}"))),
            Step("welcome", "MentorFlow.SendEmail",
                ("to", Liquid("{{ Input.Mentee }}")),
                ("subject", Liquid("Welcome, {{ Input.MenteeName }}!")),
                ("htmlBody", Liquid("<p>Hi {{ Input.MenteeName }}</p>{{ Input.TrustedHtml | raw }}"))),
            Step("script", "MentorFlow.SendEmail",
                ("to", Liquid("{{ Input.Mentee }}")),
                ("subject", Expression("JavaScript", "'Script\\r\\nBcc: x@evil.example'", "String")),
                ("htmlBody", Expression("JavaScript", "'<p>{{ Input.MenteeName }}</p>'", "String"))),
            Step("stop", "MentorFlow.CancelInvite",
                ("inviteKey", Liquid("{{ Activities.checkins.SeriesKey }}")),
                ("comment", Liquid("Closed for {{ Input.MenteeName }}\u0007.")))));
        const string name = "<script>alert(1)</script>\r\nBcc: x@evil.example";

        var started = await Runtime.StartAsync(definitionId, new Dictionary<string, object?>
        {
            ["Mentee"] = "ana@contoso.test",
            ["MenteeName"] = name,
            ["TrustedHtml"] = "<ul><li>Guide</li></ul>",
        });
        await _harness.RunUntilSettledAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(WorkflowStatus.Finished, started.Status);
        const string encoded = "&lt;script&gt;alert(1)&lt;/script&gt;";
        var kickoff = (await _server.Sandbox.EventsAsync()).Single(e => e.Recurrence is null);
        Assert.Equal("Moved: <script>alert(1)</script> Bcc: x@evil.example", kickoff.Subject);
        Assert.Equal($"<p>Agenda for <strong>{encoded}&#xD;&#xA;Bcc: x@evil.example</strong></p>", kickoff.BodyContent);
        Assert.Equal("Room <script>alert(1)</script> Bcc: x@evil.example", kickoff.Location);
        var series = (await _server.Sandbox.EventsAsync()).Single(e => e.Recurrence is not null);
        Assert.Equal("Check-in <script>alert(1)</script> Bcc: x@evil.example", series.Subject);
        Assert.Equal("<p>&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;&#xD;&#xA;BCC: X@EVIL.EXAMPLE</p>", series.BodyContent);
        Assert.Equal("Closed for <script>alert(1)</script>\nBcc: x@evil.example.", series.CancellationComment);
        var mails = (await _server.Sandbox.MessagesAsync());
        var welcome = mails.Single(m => m.Subject.StartsWith("Welcome", StringComparison.Ordinal));
        Assert.Equal("Welcome, <script>alert(1)</script> Bcc: x@evil.example!", welcome.Subject);
        Assert.Equal($"<p>Hi {encoded}&#xD;&#xA;Bcc: x@evil.example</p><ul><li>Guide</li></ul>", welcome.BodyContent);

        // A JavaScript result is the script's own text: not rendered again as Liquid; its subject is still one line.
        var scripted = mails.Single(m => m.Subject.StartsWith("Script", StringComparison.Ordinal));
        Assert.Equal("Script Bcc: x@evil.example", scripted.Subject);
        Assert.Equal("<p>{{ Input.MenteeName }}</p>", scripted.BodyContent);
    }

    [Fact]
    public async Task Flow_WithAnInvalidAttendee_FaultsWithTheFieldNamedAndQueuesNothing()
    {
        var definitionId = await PublishAsync(Flow(
            Step("kickoff", "MentorFlow.CreateInvite",
                ("attendees", Literal("ana@contoso.test; not-an-email")),
                ("subject", Literal("Kick-off")),
                ("start", Literal("2026-03-02T09:00")),
                ("timeZone", Literal("Europe/London")))));

        var started = await Runtime.StartAsync(definitionId);
        var details = await Runtime.GetInstanceAsync(started.InstanceId);

        var incident = Assert.Single(details!.Incidents);
        Assert.Contains("attendees[1].email", incident.Message, StringComparison.Ordinal);
        Assert.Empty(await _harness.MessagesAsync());
        Assert.Equal(0, _server.Sandbox.RequestCount);
    }

    [Fact]
    public async Task Flow_SeriesEndingAfterTheProgramme_FaultsNamingEndDate()
    {
        var definitionId = await PublishAsync(Flow(
            Step("checkins", "MentorFlow.CreateRecurringSeries",
                ("attendees", Literal("ana@contoso.test")),
                ("subject", Literal("Check-in")),
                ("firstMeeting", Literal("2026-03-16T17:30")),
                ("timeZone", Literal("Europe/Berlin")),
                ("cadence", Literal("Weekly")),
                ("endDate", Literal("2026-12-31")),
                ("programmeEnd", Literal("2026-09-30")))));

        var started = await Runtime.StartAsync(definitionId);
        var details = await Runtime.GetInstanceAsync(started.InstanceId);

        Assert.Contains("endDate", Assert.Single(details!.Incidents).Message, StringComparison.Ordinal);
        Assert.Empty(await _harness.MessagesAsync());
    }

    [Fact]
    public async Task TestRun_InTenantMode_SendsItsInviteAndMailToTheEmbeddedSandboxWhileANormalRunDoesNot()
    {
        // Tenant mode with a fake tenant whose Graph address is this class's sandbox (the SDK only attaches tokens for
        // Microsoft's hosts, so no sign-in happens; the transport adds the fake tenant's bearer token); the embedded
        // sandbox is hosted on its own port because GraphSandbox:Enabled is true.
        using var database = new TestDatabase();
        await using var tenant = await DispatcherHarness.StartAsync(_server, database, new Dictionary<string, string?>
        {
            ["Graph:Mode"] = "Tenant",
            ["Graph:TenantId"] = "8f0c4c1e-1111-4a4a-9b9b-123456789abc",
            ["Graph:ClientId"] = "0a1b2c3d-1111-4a4a-9b9b-123456789abc",
            ["Graph:ClientSecret"] = "not-a-real-secret",
            ["GraphSandbox:Enabled"] = "true",
            ["GraphSandbox:Port"] = "0",
        }, transport: () => new BearerHandler(_server.AccessToken), withEngine: true);
        var embedded = tenant.Services.GetRequiredService<GraphSandboxHost>().Sandbox;
        var definitionId = await PublishAsync(tenant, Flow(
            Step("kickoff", "MentorFlow.CreateInvite",
                ("attendees", Liquid("{{ Input.Mentee }}")),
                ("subject", Liquid("Kick-off {{ Input.Mentee }}")),
                ("start", Literal("2026-03-02T09:00")),
                ("timeZone", Literal("Europe/London"))),
            Step("welcome", "MentorFlow.SendEmail",
                ("to", Liquid("{{ Input.Mentee }}")),
                ("subject", Liquid("Welcome {{ Input.Mentee }}")),
                ("htmlBody", Literal("<p>Hi</p>")))));
        var runtime = tenant.Services.GetRequiredService<IWorkflowRuntime>();

        var testRun = await runtime.StartAsync(definitionId, new Dictionary<string, object?>
        {
            ["Mentee"] = "ana@contoso.test",
            ["mentorflowTestRun"] = true,
        });
        await tenant.RunUntilSettledAsync(TimeSpan.FromSeconds(60));
        var normalRun = await runtime.StartAsync(definitionId, new Dictionary<string, object?> { ["Mentee"] = "ben@contoso.test" });
        await tenant.RunUntilSettledAsync(TimeSpan.FromSeconds(60));
        var rows = await tenant.MessagesAsync();

        var testRows = rows.Where(r => r.IdempotencyKey.StartsWith(testRun.InstanceId + ":", StringComparison.Ordinal)).ToList();
        var normalRows = rows.Where(r => r.IdempotencyKey.StartsWith(normalRun.InstanceId + ":", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, testRows.Count);
        Assert.All(testRows, r => Assert.True(r.SandboxOnly));
        Assert.Equal(2, normalRows.Count);
        Assert.All(normalRows, r => Assert.False(r.SandboxOnly));
        Assert.All(rows, r => Assert.Equal(GraphMessageStatus.Sent, r.Status));
        Assert.Equal("Kick-off ana@contoso.test", Assert.Single(await embedded.EventsAsync()).Subject);
        Assert.Equal("Welcome ana@contoso.test", Assert.Single(await embedded.MessagesAsync()).Subject);
        Assert.Equal("Kick-off ben@contoso.test", Assert.Single(await _server.Sandbox.EventsAsync()).Subject);
        Assert.Equal("Welcome ben@contoso.test", Assert.Single(await _server.Sandbox.MessagesAsync()).Subject);
    }

    [Fact]
    public async Task TestRun_InTenantModeWithoutTheSandboxHosted_FaultsNamingTheSettingAndQueuesNothing()
    {
        using var database = new TestDatabase();
        await using var tenant = await DispatcherHarness.StartAsync(_server, database, new Dictionary<string, string?>
        {
            ["Graph:Mode"] = "Tenant",
            ["Graph:TenantId"] = "8f0c4c1e-1111-4a4a-9b9b-123456789abc",
            ["Graph:ClientId"] = "0a1b2c3d-1111-4a4a-9b9b-123456789abc",
            ["Graph:ClientSecret"] = "not-a-real-secret",
        }, transport: () => new BearerHandler(_server.AccessToken), withEngine: true);
        var definitionId = await PublishAsync(tenant, Flow(
            Step("welcome", "MentorFlow.SendEmail",
                ("to", Literal("ana@contoso.test")),
                ("subject", Literal("Welcome")),
                ("htmlBody", Literal("<p>Hi</p>")))));
        var runtime = tenant.Services.GetRequiredService<IWorkflowRuntime>();

        var testRun = await runtime.StartAsync(definitionId, new Dictionary<string, object?> { ["mentorflowTestRun"] = true });
        await tenant.RunUntilSettledAsync(TimeSpan.FromSeconds(60));
        var details = await runtime.GetInstanceAsync(testRun.InstanceId);

        Assert.Null(tenant.Services.GetService<GraphSandboxHost>());
        Assert.Contains("GraphSandbox:Enabled=true", Assert.Single(details!.Incidents).Message, StringComparison.Ordinal);
        Assert.Empty(await tenant.MessagesAsync());
        Assert.Empty(await _server.Sandbox.MessagesAsync());
    }

    /// <summary>Adds the fake tenant's bearer token (the real tenant's token comes from Entra).</summary>
    private sealed class BearerHandler(string token) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new("Bearer", token);
            return base.SendAsync(request, cancellationToken);
        }
    }

    private Task<string> PublishAsync(string json) => PublishAsync(_harness, json);

    private static async Task<string> PublishAsync(DispatcherHarness harness, string json)
    {
        var definitions = harness.Services.GetRequiredService<IWorkflowDefinitionService>();
        var saved = await definitions.ImportAsync(json);
        Assert.Empty(saved.Errors);
        var published = await definitions.PublishAsync(saved.Definition.DefinitionId);
        Assert.True(published.Succeeded, string.Join("; ", published.Errors));
        return saved.Definition.DefinitionId;
    }

    private static JsonObject Literal(string value, string typeName = "String") => Expression("Literal", value, typeName);

    private static JsonObject Liquid(string template) => Expression("Liquid", template, "String");

    private static JsonObject Expression(string type, string value, string typeName) => new()
    {
        ["typeName"] = typeName,
        ["expression"] = new JsonObject { ["type"] = type, ["value"] = value },
    };

    private static JsonObject Step(string id, string type, params (string Name, JsonNode Value)[] inputs)
    {
        var step = new JsonObject
        {
            ["id"] = id,
            ["nodeId"] = "Workflow1:fc:" + id,
            ["name"] = id,
            ["type"] = type,
            ["version"] = 1,
            ["customProperties"] = new JsonObject(),
            ["metadata"] = new JsonObject(),
        };
        foreach (var (name, value) in inputs)
        {
            step[name] = value;
        }

        return step;
    }

    private static string Flow(params JsonObject[] steps)
    {
        var connections = new JsonArray();
        for (var i = 0; i + 1 < steps.Length; i++)
        {
            connections.Add(new JsonObject
            {
                ["source"] = new JsonObject { ["activity"] = steps[i]["id"]!.GetValue<string>(), ["port"] = "Queued" },
                ["target"] = new JsonObject { ["activity"] = steps[i + 1]["id"]!.GetValue<string>(), ["port"] = "In" },
            });
        }

        return new JsonObject
        {
            ["definitionId"] = string.Empty,
            ["name"] = "Graph flow " + Guid.NewGuid().ToString("N")[..8],
            ["variables"] = new JsonArray(),
            ["inputs"] = new JsonArray(),
            ["outputs"] = new JsonArray(),
            ["outcomes"] = new JsonArray(),
            ["customProperties"] = new JsonObject(),
            ["options"] = new JsonObject(),
            ["root"] = new JsonObject
            {
                ["type"] = "Elsa.Flowchart",
                ["version"] = 1,
                ["id"] = "fc",
                ["nodeId"] = "Workflow1:fc",
                ["metadata"] = new JsonObject(),
                ["customProperties"] = new JsonObject(),
                ["activities"] = new JsonArray(steps.Select(s => (JsonNode)s).ToArray()),
                ["connections"] = connections,
            },
        }.ToJsonString();
    }
}
