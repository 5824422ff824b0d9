using System.Text;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;
using MentorFlow.Workflows.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Workflows.Tests;

/// <summary>Definitions in the shapes Elsa 3.0–3.6 servers export load, validate, run and round-trip.</summary>
public sealed class ImportTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private TestDatabase _db = null!;
    private EngineHost _host = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.SqliteAsync();
        _host = await EngineHost.StartAsync(_db, _clock);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _db.DisposeAsync();
    }

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name), Encoding.UTF8);

    private static byte[] FixtureBytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    public static TheoryData<string> CurrentShapes => new() { "elsa-3.0.json", "elsa-3.2.json", "elsa-3.6.json" };

    [Theory]
    [MemberData(nameof(CurrentShapes))]
    public async Task Import_OfAnElsa3Export_ValidatesAndRoundTripsEqualModuloFormatting(string fixture)
    {
        var original = Encoding.UTF8.GetString(FixtureBytes(fixture));
        var saved = await _host.Definitions.ImportAsync(original);

        Assert.Empty(saved.Errors);
        var exported = await _host.Definitions.ExportAsync(saved.Definition.DefinitionId, VersionOptions.Latest);
        Assert.True(JsonNode.DeepEquals(DefinitionJson.WithoutBookkeeping(original), DefinitionJson.WithoutBookkeeping(exported!)), $"{fixture} changed in the round trip:\n{exported}");

        // And a second round trip through import is stable.
        var again = await _host.Definitions.ImportAsync(exported!);
        var exportedAgain = await _host.Definitions.ExportAsync(again.Definition.DefinitionId, VersionOptions.Latest);
        Assert.True(JsonNode.DeepEquals(DefinitionJson.WithoutBookkeeping(exported!), DefinitionJson.WithoutBookkeeping(exportedAgain!)));
    }

    /// <summary>The default lifecycle flows shipped in <c>workflows/definitions</c>.</summary>
    public static TheoryData<string> DefaultFlows()
    {
        var folder = AppContext.BaseDirectory;
        while (folder is not null && !File.Exists(Path.Combine(folder, "MentorFlow.sln")))
        {
            folder = Path.GetDirectoryName(folder);
        }

        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(folder!, "workflows", "definitions"), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DefaultFlows))]
    public async Task DefaultFlow_RoundTripsEqualModuloFormatting(string file)
    {
        // The mentoring activities are not registered here, so validation may list them; the draft round-trips anyway.
        var original = await File.ReadAllTextAsync(file);
        var saved = await _host.Definitions.ImportAsync(original);

        var exported = await _host.Definitions.ExportAsync(saved.Definition.DefinitionId, VersionOptions.Latest);

        Assert.True(JsonNode.DeepEquals(DefinitionJson.WithoutBookkeeping(original), DefinitionJson.WithoutBookkeeping(exported!)), $"{Path.GetFileName(file)} changed in the round trip");
        Assert.DoesNotContain(saved.Errors, e => e.Input is "connections" or "id" || e.Message.Contains("unreachable", StringComparison.Ordinal));
    }

    [Fact]
    public void Fixture_WithAUtf8Bom_StartsWithTheBom()
    {
        var bytes = FixtureBytes("elsa-3.6.json");
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
    }

    [Fact]
    public async Task Import_OfThe30PreviewFlatConnections_ConvertsThemToTheNestedShapeAndRuns()
    {
        var saved = await _host.Definitions.ImportAsync(Fixture("elsa-3.0-preview.json"));

        Assert.Empty(saved.Errors);
        var connection = saved.Definition.Model["root"]!["connections"]![0]!;
        Assert.Equal("First", connection["source"]!["activity"]!.GetValue<string>());
        Assert.Equal("Done", connection["source"]!["port"]!.GetValue<string>());
        Assert.Equal("Second", connection["target"]!["activity"]!.GetValue<string>());
        Assert.Equal(2260, saved.Definition.Model["root"]!["activities"]![1]!["metadata"]!["designer"]!["position"]!["x"]!.GetValue<int>());
        Assert.True((await _host.Definitions.PublishAsync(saved.Definition.DefinitionId)).Succeeded);

        var run = await _host.Runtime.StartAsync(saved.Definition.DefinitionId);
        var details = await _host.Runtime.GetInstanceAsync(run.InstanceId);
        Assert.Equal(["first", "second"], details!.Journal.Select(j => j.Message));
    }

    [Fact]
    public async Task Elsa30Export_RunsWithVariablesSetVariableAndLiquid()
    {
        var saved = await _host.Definitions.ImportAsync(Fixture("elsa-3.0.json"));
        Assert.True((await _host.Definitions.PublishAsync(saved.Definition.DefinitionId)).Succeeded);

        var run = await _host.Runtime.StartAsync("elsa30");

        var details = await _host.Runtime.GetInstanceAsync(run.InstanceId);
        Assert.Equal(WorkflowSubStatus.Finished, details!.Summary.SubStatus);
        Assert.Equal("Counter is 42", details.Journal.Single(j => j.ActivityId == "write1").Message);
    }

    [Fact]
    public async Task Elsa32Export_ForksJoinsAndDecidesOnABooleanWrittenAsTrueString()
    {
        var saved = await _host.Definitions.ImportAsync(Fixture("elsa-3.2.json"));
        Assert.True((await _host.Definitions.PublishAsync(saved.Definition.DefinitionId)).Succeeded);

        var run = await _host.Runtime.StartAsync("elsa32");

        var details = await _host.Runtime.GetInstanceAsync(run.InstanceId);
        Assert.Equal(WorkflowSubStatus.Finished, details!.Summary.SubStatus);
        Assert.Equal(["fork", "one", "two", "join", "decide", "done"], details.Journal.Select(j => j.ActivityId));
        Assert.Equal(["True"], details.Journal.Single(j => j.ActivityId == "decide").Outcomes);
    }

    [Fact]
    public async Task Elsa36Export_WaitsForTheSignalOrTimesOut()
    {
        var saved = await _host.Definitions.ImportAsync(Fixture("elsa-3.6.json"));
        Assert.True((await _host.Definitions.PublishAsync(saved.Definition.DefinitionId)).Succeeded);
        var input = new Dictionary<string, object?> { ["Who"] = "Ada" };

        var answered = await _host.Runtime.StartAsync("elsa36", input, correlationId: "pair-7");
        var timedOut = await _host.Runtime.StartAsync("elsa36", input, correlationId: "pair-8");
        Assert.Equal(1, await _host.Runtime.SignalAsync("Answered", "pair-7", new { choice = "yes" }));
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await _host.Maintenance.FireDueTimersAsync());

        var first = await _host.Runtime.GetInstanceAsync(answered.InstanceId);
        Assert.Equal(WorkflowSubStatus.Finished, first!.Summary.SubStatus);
        Assert.Equal("Ada answered yes", first.Journal.Single(j => j.ActivityId == "said").Message);
        Assert.Empty(first.Bookmarks);
        var second = await _host.Runtime.GetInstanceAsync(timedOut.InstanceId);
        Assert.Equal(WorkflowSubStatus.Faulted, second!.Summary.SubStatus);
        Assert.Contains("[TIMEOUT] no answer from Ada", Assert.Single(second.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_OfAnExportWithUnsupportedActivities_IsADraftNamingEachType()
    {
        var model = JsonNode.Parse(Fixture("elsa-3.2.json"))!.AsObject();
        var activities = model["root"]!["activities"]!.AsArray();
        activities.Add(new JsonObject { ["id"] = "cs", ["type"] = "Elsa.RunCSharp", ["version"] = 1, ["script"] = Flow.Literal("return 1;") });
        activities.Add(new JsonObject { ["id"] = "http", ["type"] = "Elsa.WriteFileHttpResponse", ["version"] = 1 });
        model["root"]!["connections"]!.AsArray().Add(new JsonObject { ["source"] = new JsonObject { ["activity"] = "done", ["port"] = "Done" }, ["target"] = new JsonObject { ["activity"] = "cs", ["port"] = "In" } });
        model["root"]!["connections"]!.AsArray().Add(new JsonObject { ["source"] = new JsonObject { ["activity"] = "cs", ["port"] = "Done" }, ["target"] = new JsonObject { ["activity"] = "http", ["port"] = "In" } });

        var saved = await _host.Definitions.ImportAsync(model.ToJsonString());

        Assert.Equal(["cs: Activity type 'Elsa.RunCSharp' is not supported by MentorFlow.", "http: Activity type 'Elsa.WriteFileHttpResponse' is not supported by MentorFlow."],
            saved.Errors.Select(e => $"{e.ActivityId}: {e.Message}"));
        Assert.False(saved.Definition.IsPublished);
        Assert.False((await _host.Definitions.PublishAsync("elsa32")).Succeeded);
    }
}
