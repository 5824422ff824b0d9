using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jint;
using Jint.Native;

namespace MentorFlow.Workflows.Expressions;

/// <summary>
/// The JavaScript functions Elsa 3 gives a flow's scripts, so scripts written for Elsa run unchanged: a getter and a
/// setter per variable (<c>getCounter()</c>, <c>setCounter(v)</c>: <c>get</c>/<c>set</c> + the name in PascalCase), a
/// getter per workflow input (<c>getOrderId()</c>), <c>get{Output}From{Activity}()</c> per activity output (the
/// activity by name, else by id), <c>getWorkflowInstanceId()</c>, <c>getWorkflowDefinitionId()</c>,
/// <c>getCorrelationId()</c>, <c>toJson(v)</c>, <c>isNullOrEmpty(s)</c> and <c>isNullOrWhiteSpace(s)</c> — beside
/// <c>getVariable</c>, <c>setVariable</c>, <c>getInput</c> and <c>getOutputFrom</c>, which the evaluator installs.
/// </summary>
internal static partial class ElsaScriptEnvironment
{
    /// <summary>Functions every script has (the accessors are per flow), for the publish-time check of calls.</summary>
    public static readonly IReadOnlySet<string> Functions = new HashSet<string>(StringComparer.Ordinal)
    {
        "getVariable", "setVariable", "getInput", "getOutputFrom",
        "getWorkflowInstanceId", "getWorkflowDefinitionId", "getCorrelationId", "toJson", "isNullOrEmpty", "isNullOrWhiteSpace",
    };

    /// <summary>The name as Elsa writes it in an accessor: the first letter and each letter after <c>_</c> or spaces upper-cased, those separators dropped.</summary>
    public static string Pascalize(string name) => PascalBoundary().Replace(name, match => match.Groups[1].Value.ToUpperInvariant());

    /// <summary>Installs the functions on <paramref name="engine"/> for one evaluation in <paramref name="scope"/>.</summary>
    public static void Install(Engine engine, ExpressionScope scope, Func<JsonNode?, JsValue> fromNode, Action<string, JsValue> setVariable)
    {
        engine.SetValue("getWorkflowInstanceId", new Func<string>(() => scope.InstanceId));
        engine.SetValue("getWorkflowDefinitionId", new Func<string>(() => scope.DefinitionId));
        engine.SetValue("getCorrelationId", new Func<JsValue>(() => scope.CorrelationId is null ? JsValue.Null : new JsString(scope.CorrelationId)));
        engine.SetValue("isNullOrEmpty", new Func<JsValue, bool>(value => value.IsNull() || value.IsUndefined() || (value.IsString() && value.AsString().Length == 0)));
        engine.SetValue("isNullOrWhiteSpace", new Func<JsValue, bool>(value => value.IsNull() || value.IsUndefined() || (value.IsString() && string.IsNullOrWhiteSpace(value.AsString()))));
        var json = engine.GetValue("JSON");
        var stringify = json.Get("stringify");
        engine.SetValue("toJson", new Func<JsValue, JsValue>(value => engine.Invoke(stringify, json, [value])));

        foreach (var (name, _) in scope.Input)
        {
            Define(engine, $"get{Pascalize(name)}", new Func<JsValue>(() => fromNode(scope.Input[name])));
        }

        foreach (var name in scope.Variables.Keys)
        {
            var pascal = Pascalize(name);
            Define(engine, $"get{pascal}", new Func<JsValue>(() => fromNode(scope.Variables.GetValueOrDefault(name))));
            Define(engine, $"set{pascal}", new Action<JsValue>(value => setVariable(name, value)));
        }

        var names = scope.ActivityNames.ToLookup(entry => entry.Value, entry => entry.Key, StringComparer.Ordinal);
        foreach (var (activityId, outputs) in scope.ActivityOutputs)
        {
            var activity = Pascalize(names[activityId].FirstOrDefault() ?? activityId);
            foreach (var (output, _) in outputs)
            {
                Define(engine, $"get{Pascalize(output)}From{activity}", new Func<JsValue>(() => fromNode(scope.OutputsOf(activityId)?[output])));
            }
        }
    }

    /// <summary>Defines an accessor unless its name is not an identifier or would replace one of the common functions.</summary>
    private static void Define(Engine engine, string name, Delegate accessor)
    {
        if (Identifier().IsMatch(name) && !Functions.Contains(name))
        {
            engine.SetValue(name, accessor);
        }
    }

    [GeneratedRegex(@"(?:^|_| +)(.)")]
    private static partial Regex PascalBoundary();

    [GeneratedRegex(@"^[A-Za-z_$][A-Za-z0-9_$]*$")]
    private static partial Regex Identifier();
}
