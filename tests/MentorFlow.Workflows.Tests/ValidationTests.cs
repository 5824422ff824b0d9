using System.Text.Json.Nodes;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Tests.Infrastructure;

namespace MentorFlow.Workflows.Tests;

public sealed class ValidationTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private EngineHost _host = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.SqliteAsync();
        _host = await EngineHost.StartAsync(_db);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _db.DisposeAsync();
    }

    public sealed record Expected(string? ActivityId, string? Input, string Fragment);

    private static JsonObject Var(string id, string name) => new() { ["id"] = id, ["name"] = name };

    private static Flow Start() => Flow.Create().Add("start", "Elsa.Start");

    public static TheoryData<string, string, Expected[]> Cases => new()
    {
        { "unknown activity type", Start().Add("x", "Elsa.RunCSharp").Chain("start", "x").Json, [new("x", "type", "'Elsa.RunCSharp' is not supported")] },
        { "unknown http activity", Start().Add("h", "Elsa.WriteFileHttpResponse").Chain("start", "h").Json, [new("h", "type", "'Elsa.WriteFileHttpResponse' is not supported")] },
        { "unsupported activity version", Start().Add("w", "Elsa.WriteLine", ("version", 7)).Chain("start", "w").Json, [new("w", "type", "version 7")] },
        { "missing required input", Start().Add("e", "Elsa.Event").Chain("start", "e").Json, [new("e", "eventName", "is required")] },
        { "required input left empty", Start().Add("d", "Elsa.Delay", ("timeSpan", Flow.Literal("", "TimeSpan"))).Chain("start", "d").Json, [new("d", "timeSpan", "is required")] },
        { "connection to a missing activity", Start().Connect("start", "Done", "ghost").Json, [new("ghost", "connections", "does not exist")] },
        { "connection from a missing activity", Start().Add("w", "Elsa.WriteLine").Chain("start", "w").Connect("ghost", "Done", "w").Json, [new("ghost", "connections", "starts at activity 'ghost'")] },
        { "connection from a missing port", Start().Add("w", "Elsa.WriteLine").Add("v", "Elsa.WriteLine").Chain("start", "w").Connect("w", "Nope", "v").Json, [new("w", "connections", "no port 'Nope'")] },
        { "decision has no such port", Start().Add("d", "Elsa.FlowDecision", ("condition", Flow.Expr("JavaScript", "true", "Boolean"))).Add("v", "Elsa.WriteLine").Chain("start", "d").Connect("d", "Maybe", "v").Json, [new("d", "connections", "no port 'Maybe'")] },
        { "connection into a port other than In", Flow.Create().Add("a", "Elsa.WriteLine").Add("b", "Elsa.WriteLine").Connect("a", "Done", "b").Model.Let(m => ((JsonObject)((JsonArray)m["root"]!["connections"]!)[0]!["target"]!)["port"] = "Body").ToJsonString(), [new("b", "connections", "through port 'Body'")] },
        { "unreachable activity", Start().Add("a", "Elsa.WriteLine").Add("island", "Elsa.WriteLine").Chain("start", "a").Json, [new("island", null, "unreachable")] },
        { "duplicate activity ids", Start().Add("a", "Elsa.WriteLine").Add("a", "Elsa.WriteLine").Chain("start", "a").Json, [new("a", "id", "more than one activity")] },
        { "liquid does not compile", Start().Add("w", "Elsa.WriteLine", ("text", Flow.Expr("Liquid", "Hello {{ Name "))).Chain("start", "w").Json, [new("w", "text", "Liquid template does not compile")] },
        { "javascript does not compile", Start().Add("w", "Elsa.WriteLine", ("text", Flow.Expr("JavaScript", "function ("))).Chain("start", "w").Json, [new("w", "text", "JavaScript does not compile")] },
        { "variable expression names an undeclared variable", Start().Add("w", "Elsa.WriteLine", ("text", Flow.Expr("Variable", "Nope"))).Chain("start", "w").Json, [new("w", "text", "Variable 'Nope' is used but not declared")] },
        { "javascript reads an undeclared variable", Start().Add("w", "Elsa.WriteLine", ("text", Flow.Expr("JavaScript", "getVariable('Missing')"))).Chain("start", "w").Json, [new("w", "text", "Variable 'Missing' is used but not declared")] },
        { "javascript calls the accessor of an undeclared variable", Start().Var("Counter", "Int32", "0").Add("w", "Elsa.WriteLine", ("text", Flow.Expr("JavaScript", "setCounter(getCounter() + 1); return getTotal();"))).Chain("start", "w").Json, [new("w", "text", "calls getTotal(), which this flow does not have: declare a variable named 'Total' (or 'total')")] },
        { "liquid reads an undeclared variable", Start().Var("Known").Add("w", "Elsa.WriteLine", ("text", Flow.Expr("Liquid", "{{ Variables.Known }} {{ Variables.Unknown }}"))).Chain("start", "w").Json, [new("w", "text", "Variable 'Unknown' is used but not declared")] },
        { "set variable on an undeclared variable", Start().Add("s", "Elsa.SetVariable", ("variable", Var("v9", "Ghost")), ("value", Flow.Literal("1", "Object"))).Chain("start", "s").Json, [new("s", "variable", "Variable 'Ghost' is used but not declared")] },
        { "output bound to an undeclared variable", Start().Add("e", "Elsa.Event", ("eventName", Flow.Literal("x")), ("result", new JsonObject { ["typeName"] = "Object", ["memoryReference"] = new JsonObject { ["id"] = "nowhere" } })).Chain("start", "e").Json, [new("e", "Result", "bound to variable 'nowhere'")] },
        { "unsupported expression type", Start().Add("w", "Elsa.WriteLine", ("text", Flow.Expr("CSharp", "\"hi\""))).Chain("start", "w").Json, [new("w", "text", "Expression type 'CSharp' is not supported")] },
        { "object expression is not json", Start().Add("f", "Elsa.FlowFork", ("branches", Flow.Expr("Object", "[\"a\",", "String[]"))).Chain("start", "f").Json, [new("f", "branches", "not valid JSON")] },
        { "literal is not a timespan", Start().Add("d", "Elsa.Delay", ("timeSpan", Flow.Literal("soon", "TimeSpan"))).Chain("start", "d").Json, [new("d", "timeSpan", "not a valid TimeSpan")] },
        { "cron expression is invalid", Start().Add("c", "Elsa.Cron", ("cronExpression", Flow.Literal("every monday"))).Chain("start", "c").Json, [new("c", "cronExpression", "not a valid CRON expression")] },
        { "switch case condition does not compile", Start().Add("s", "Elsa.FlowSwitch", ("cases", new JsonArray(new JsonObject { ["label"] = "A", ["condition"] = new JsonObject { ["type"] = "JavaScript", ["value"] = "1 +" } }))).Chain("start", "s").Json, [new("s", "cases[A]", "JavaScript does not compile")] },
        { "a body on an activity that runs none", Start().Add("f", "Elsa.WriteLine", ("text", Flow.Literal("x")), ("body", new JsonObject { ["type"] = "Elsa.WriteLine", ["id"] = "inner" })).Chain("start", "f").Json, [new("f", "body", "does not run an embedded body activity")] },
        { "break outside a loop", Start().Add("b", "Elsa.Break").Chain("start", "b").Json, [new("b", "type", "Break must be inside the body of a loop")] },
        { "definition without a name", Flow.Create("").Add("a", "Elsa.WriteLine").Json, [new(null, "name", "needs a name")] },
        { "variable declared twice", Start().Var("X").Var("X").Json, [new(null, "variables", "'X' is declared more than once")] },
        {
            "several problems at once", Start().Add("x", "Elsa.RunCSharp").Add("e", "Elsa.Event").Add("w", "Elsa.WriteLine", ("text", Flow.Expr("Liquid", "{% if %}")))
                .Chain("start", "x").Connect("start", "Done", "e").Connect("start", "Done", "w").Connect("w", "Done", "ghost").Json,
            [new("x", "type", "not supported"), new("e", "eventName", "is required"), new("w", "text", "Liquid"), new("ghost", "connections", "does not exist")]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task InvalidDefinition_IsKeptAsDraft_ButPublishIsRefusedWithEveryError(string name, string json, Expected[] expected)
    {
        var saved = await _host.Definitions.ImportAsync(json);
        AssertErrors(name, expected, saved.Errors);
        Assert.False(saved.Definition.IsPublished);
        Assert.Equal(saved.Errors, saved.Definition.ValidationErrors);

        var published = await _host.Definitions.PublishAsync(saved.Definition.DefinitionId);

        Assert.False(published.Succeeded);
        AssertErrors(name, expected, published.Errors);
        Assert.Null(await _host.Definitions.FindAsync(saved.Definition.DefinitionId, VersionOptions.Published));
        Assert.NotNull(await _host.Definitions.FindAsync(saved.Definition.DefinitionId, VersionOptions.Draft));
    }

    [Fact]
    public async Task Save_WhenAnotherDefinitionHasTheName_ReturnsANameErrorAndPublishIsRefused()
    {
        await _host.PublishAsync(Flow.Create("Kick-off").Add("a", "Elsa.WriteLine").Json);

        var copy = await _host.Definitions.ImportAsync(Flow.Create("Kick-off").Add("a", "Elsa.WriteLine").Json);

        Assert.Equal("name", Assert.Single(copy.Errors).Input);
        Assert.False((await _host.Definitions.PublishAsync(copy.Definition.DefinitionId)).Succeeded);
        Assert.False(await _host.Definitions.IsNameUniqueAsync("Kick-off"));
        Assert.True(await _host.Definitions.IsNameUniqueAsync("Kick-off", copy.Definition.DefinitionId) is false);
        Assert.True(await _host.Definitions.IsNameUniqueAsync("Welcome"));
    }

    [Fact]
    public async Task Import_WhenTheJsonHasNoFlowchartOrSequenceRoot_ThrowsAClearFormatError()
    {
        var parallel = await Assert.ThrowsAsync<WorkflowDefinitionFormatException>(() =>
            _host.Definitions.ImportAsync("""{"name":"x","root":{"type":"Elsa.Parallel","activities":[]}}"""));
        Assert.Contains("'Elsa.Parallel'; MentorFlow runs Elsa.Flowchart and Elsa.Sequence roots", parallel.Message, StringComparison.Ordinal);
        var notJson = await Assert.ThrowsAsync<WorkflowDefinitionFormatException>(() => _host.Definitions.ImportAsync("{ nope"));
        Assert.Contains("not valid JSON", notJson.Message, StringComparison.Ordinal);
        var badConnection = await Assert.ThrowsAsync<WorkflowDefinitionFormatException>(() => _host.Definitions.ImportAsync(
            """{"name":"x","root":{"type":"Elsa.Flowchart","activities":[],"connections":[{"source":1,"target":{"activity":"a"}}]}}"""));
        Assert.Contains("connections[0]", badConnection.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await _host.Definitions.ListAsync(new DefinitionQuery())).TotalCount);
    }

    private static void AssertErrors(string name, Expected[] expected, IReadOnlyList<ValidationError> actual)
    {
        var described = $"{name}: got [{string.Join(" | ", actual)}]";
        Assert.True(expected.Length == actual.Count, described);
        foreach (var e in expected)
        {
            Assert.True(
                actual.Any(a => a.ActivityId == e.ActivityId && a.Input == e.Input && a.Message.Contains(e.Fragment, StringComparison.Ordinal)),
                $"{described}; expected {e}");
        }
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Let(this JsonObject obj, Action<JsonObject> change)
    {
        change(obj);
        return obj;
    }
}
