using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Activities.BuiltIn;
using MentorFlow.Workflows.Activities.Http;
using MentorFlow.Workflows.Descriptors;
using MentorFlow.Workflows.Expressions;
using MentorFlow.Workflows.Runtime;

namespace MentorFlow.Workflows.Definitions;

/// <summary>Finds every problem of a definition at once; each error names the activity and input it is about.</summary>
internal sealed partial class DefinitionValidator(IActivityRegistry registry, ExpressionEvaluator expressions)
{
    /// <summary>What a Liquid template can read besides the declared variables (see ExpressionEvaluator).</summary>
    private static readonly HashSet<string> LiquidScopeNames = new(StringComparer.Ordinal) { "Variables", "Input", "Activities", "Workflow", "CorrelationId" };

    /// <summary>Variables some built-ins provide at run time (e.g. ForEach's current value).</summary>
    private static readonly HashSet<string> ImplicitVariables = new(StringComparer.Ordinal) { "CurrentValue", "CurrentIndex" };

    /// <summary>
    /// Every problem of <paramref name="model"/>; <paramref name="definitionActivities"/> describe the flows it uses as
    /// activities (their inputs, outputs and outcomes are then checked like any activity's).
    /// </summary>
    public IReadOnlyList<ValidationError> Validate(JsonObject model, IReadOnlyList<ActivityDescriptor>? definitionActivities)
    {
        return definitionActivities is { Count: > 0 }
            ? new DefinitionValidator(new OverlayActivityRegistry(registry, definitionActivities), expressions).Validate(model)
            : Validate(model);
    }

    public IReadOnlyList<ValidationError> Validate(JsonObject model)
    {
        var errors = new List<ValidationError>();
        try
        {
            DefinitionReader.Normalize(model);
        }
        catch (WorkflowDefinitionFormatException exception)
        {
            return [new ValidationError(null, "root", exception.Message)];
        }

        if (string.IsNullOrWhiteSpace(DefinitionReader.Str(model, "name")))
        {
            errors.Add(new ValidationError(null, "name", "The definition needs a name."));
        }

        var variables = DefinitionReader.ReadVariables(model).ToList();
        foreach (var duplicate in variables.GroupBy(v => v.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add(new ValidationError(null, "variables", $"Variable '{duplicate.Key}' is declared more than once."));
        }

        var declared = new HashSet<string>(variables.Select(v => v.Name), StringComparer.Ordinal);
        declared.UnionWith(ImplicitVariables);
        var declaredIds = new HashSet<string>(variables.Where(v => v.Id is not null).Select(v => v.Id!), StringComparer.Ordinal);

        var flowchart = DefinitionReader.ToFlowchart("validation", DefinitionReader.Str(model, "definitionId") ?? "", 0, model, registry);
        var scriptFunctions = ScriptFunctions(model, declared, flowchart);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in flowchart.ActivityOrder)
        {
            if (string.IsNullOrWhiteSpace(node.Id))
            {
                errors.Add(new ValidationError(null, "id", $"An activity of type '{node.Type}' has no id."));
                continue;
            }

            if (!seen.Add(node.Id))
            {
                errors.Add(new ValidationError(node.Id, "id", $"Activity id '{node.Id}' is used by more than one activity."));
            }

            ValidateActivity(flowchart, node, declared, declaredIds, scriptFunctions, errors);
        }

        var ids = seen;
        var outcomesById = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var connection in flowchart.Connections)
        {
            var sourceOk = ids.Contains(connection.Source);
            var targetOk = ids.Contains(connection.Target);
            if (!sourceOk)
            {
                errors.Add(new ValidationError(connection.Source, "connections", $"A connection starts at activity '{connection.Source}', which does not exist."));
            }

            if (!targetOk)
            {
                errors.Add(new ValidationError(connection.Target, "connections", $"A connection from '{connection.Source}' goes to activity '{connection.Target}', which does not exist."));
            }

            if (sourceOk && flowchart.Activities[connection.Source] is { Descriptor: { } descriptor } source)
            {
                if (!outcomesById.TryGetValue(source.Id, out var outcomes))
                {
                    outcomes = source.IsContainer ? ContainerOutcomes(flowchart, source) : registry.GetOutcomes(descriptor, source.Json);
                    outcomesById[source.Id] = outcomes;
                }

                var port = connection.SourcePort ?? "Done";
                if (port != Connection.AnyPort && !outcomes.Contains("*") && !outcomes.Contains(port, StringComparer.Ordinal))
                {
                    errors.Add(new ValidationError(source.Id, "connections",
                        $"Activity '{source.Id}' ({source.Type}) has no port '{port}'; its ports are: {string.Join(", ", outcomes)}."));
                }
            }

            if (targetOk && connection.TargetPort is { } targetPort && targetPort != "In")
            {
                errors.Add(new ValidationError(connection.Target, "connections",
                    $"A connection enters activity '{connection.Target}' through port '{targetPort}'; flow connections enter through 'In'."));
            }
        }

        foreach (var connection in flowchart.Connections.Where(c => flowchart.Activities.ContainsKey(c.Source) && flowchart.Activities.ContainsKey(c.Target)))
        {
            if (!string.Equals(flowchart.Activities[connection.Source].Container, flowchart.Activities[connection.Target].Container, StringComparison.Ordinal))
            {
                errors.Add(new ValidationError(connection.Source, "connections",
                    $"The connection from '{connection.Source}' to '{connection.Target}' crosses the boundary of a nested flowchart; connect the nested flowchart itself."));
            }
        }

        foreach (var scope in flowchart.ActivityOrder.Where(a => a.HoldsActivities).Select(a => (string?)a.Id).Prepend(null).Distinct())
        {
            ValidateReachability(flowchart, scope, errors);
        }

        ValidateHttpEndpoints(flowchart, errors);
        return errors;
    }

    /// <summary>HTTP Endpoints: literal, valid paths and methods; no method and path claimed twice in the flow.</summary>
    private static void ValidateHttpEndpoints(FlowchartDefinition flowchart, List<ValidationError> errors)
    {
        var problems = new List<(string ActivityId, string Input, string Message)>();
        var routes = HttpEndpointRoute.Of(flowchart, problems);
        // An empty path is already reported as a required input.
        errors.AddRange(problems.Where(p => !(p.Input == "path" && p.Message == HttpEndpointPath.EmptyPath)).Select(p => new ValidationError(p.ActivityId, p.Input, $"HTTP Endpoint '{p.ActivityId}': {p.Message}")));
        foreach (var clash in routes.SelectMany(r => r.Methods.Select(m => (Method: m, Route: r))).GroupBy(x => (x.Method, x.Route.Path.Shape)).Where(g => g.Count() > 1))
        {
            var first = clash.First().Route;
            errors.Add(new ValidationError(clash.Last().Route.ActivityId, "path",
                $"{clash.Key.Method} /workflows{first.Path.Text} is claimed by more than one HTTP Endpoint in this flow ({string.Join(", ", clash.Select(c => c.Route.ActivityId))})."));
        }
    }

    /// <summary>The ports of a nested flowchart: Done, plus each outcome an Elsa.Complete inside it names ("*" when one is computed).</summary>
    private static IReadOnlyList<string> ContainerOutcomes(FlowchartDefinition flowchart, ActivityNode container)
    {
        var outcomes = new List<string> { "Done" };
        foreach (var complete in flowchart.ChildrenOf(container.Id).Where(a => a.Type == "Elsa.Complete"))
        {
            var expression = ActivityBinder.ReadExpression(DefinitionReader.Get(complete.Json, "outcomes"));
            if (expression is null || string.IsNullOrWhiteSpace(expression.Value))
            {
                continue;
            }

            if (expression.Type is not ("Literal" or "Object" or "Json"))
            {
                return ["*"];
            }

            try
            {
                var value = JsonNode.Parse(expression.Value);
                outcomes.AddRange(value is JsonArray array ? array.OfType<JsonValue>().Select(v => v.ToString()) : [expression.Value]);
            }
            catch (JsonException)
            {
                outcomes.Add(expression.Value);
            }
        }

        return outcomes;
    }

    /// <summary>Every activity of one flowchart (the root or a nested one) must be reachable from its start.</summary>
    private static void ValidateReachability(FlowchartDefinition flowchart, string? scope, List<ValidationError> errors)
    {
        var children = flowchart.ChildrenOf(scope);
        if (children.Count > 0)
        {
            var start = flowchart.StartOf(scope);
            var reached = new HashSet<string>(StringComparer.Ordinal);
            if (start is not null)
            {
                var pending = new Stack<string>([start.Id]);
                while (pending.TryPop(out var id))
                {
                    if (reached.Add(id))
                    {
                        foreach (var next in flowchart.Outbound[id])
                        {
                            pending.Push(next.Target);
                        }
                    }
                }
            }

            var where = scope is null ? "the flowchart" : $"nested flowchart '{scope}'";
            foreach (var node in children.Where(n => !string.IsNullOrWhiteSpace(n.Id) && !reached.Contains(n.Id)).DistinctBy(n => n.Id))
            {
                errors.Add(new ValidationError(node.Id, null,
                    start is null
                        ? $"Activity '{node.Id}' cannot run: {where} has no start (an Elsa.Start or an activity without inbound connections)."
                        : $"Activity '{node.Id}' is unreachable from the start activity '{start.Id}'."));
            }
        }
    }

    private void ValidateActivity(FlowchartDefinition flowchart, ActivityNode node, HashSet<string> declared, HashSet<string> declaredIds, IReadOnlySet<string> scriptFunctions, List<ValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(node.Type))
        {
            errors.Add(new ValidationError(node.Id, "type", $"Activity '{node.Id}' has no type."));
            return;
        }

        if (node.Descriptor is null || (node.Descriptor.Version != node.Version && registry.Find(node.Type, node.Version) is null))
        {
            errors.Add(new ValidationError(node.Id, "type", registry.Find(node.Type) is { } known
                ? $"Activity type '{node.Type}' version {node.Version.ToString(CultureInfo.InvariantCulture)} is not supported (MentorFlow has version {known.Version.ToString(CultureInfo.InvariantCulture)})."
                : $"Activity type '{node.Type}' is not supported by MentorFlow."));
            return;
        }

        var descriptor = node.Descriptor;
        if (node.IsContainer)
        {
            return;
        }

        if (descriptor.ClrType is null)
        {
            errors.Add(new ValidationError(node.Id, "type", $"'{node.Type}' cannot be used inside a flowchart (nested containers are not supported)."));
            return;
        }

        if (node.HasBody && !typeof(IBodyActivity).IsAssignableFrom(descriptor.ClrType))
        {
            errors.Add(new ValidationError(node.Id, "body", $"'{node.Type}' does not run an embedded body activity; connect the activities after it through its ports."));
        }

        if ((descriptor.ClrType == typeof(ExecuteWorkflow) || descriptor.ClrType == typeof(DispatchWorkflow))
            && ActivityBinder.ReadExpression(DefinitionReader.Get(node.Json, "workflowDefinitionId")) is { Type: ExpressionSyntax.Literal, Value: { } child }
            && string.Equals(child.Trim(), flowchart.DefinitionId, StringComparison.Ordinal) && flowchart.DefinitionId.Length > 0)
        {
            errors.Add(new ValidationError(node.Id, "workflowDefinitionId", "The flow runs itself; pick another workflow (a flow that starts itself would never end)."));
        }

        if (descriptor.ClrType == typeof(Break) && flowchart.EnclosingLoop(node.Id) is null)
        {
            errors.Add(new ValidationError(node.Id, "type", "Break must be inside the body of a loop (While, For Each or Parallel For Each)."));
        }

        foreach (var input in descriptor.Inputs)
        {
            var json = DefinitionReader.Get(node.Json, input.JsonName);
            var expression = ActivityBinder.ReadExpression(json);
            if (input.Required && (expression is null || string.IsNullOrWhiteSpace(expression.Value)))
            {
                errors.Add(new ValidationError(node.Id, input.JsonName, $"'{input.DisplayName ?? input.Name}' is required."));
                continue;
            }

            if (expression is { Type: ExpressionSyntax.Literal, Value: { } script } && descriptor.ClrType == typeof(RunJavaScript) && input.JsonName == "script")
            {
                // Elsa keeps Run JavaScript's script as a literal; it is checked as the script it is.
                expression = WorkflowExpression.JavaScript(script);
            }

            if (expression is not null)
            {
                ValidateExpression(node.Id, input.JsonName, expression, declared, declaredIds, scriptFunctions, errors, input.ClrType);
            }
        }

        foreach (var output in descriptor.Outputs)
        {
            var json = DefinitionReader.Get(node.Json, char.ToLowerInvariant(output.Name[0]) + output.Name[1..]);
            if (json is JsonObject o && DefinitionReader.Get(o, "memoryReference") is JsonObject reference
                && DefinitionReader.Str(reference, "id") is { Length: > 0 } id && !declaredIds.Contains(id) && !declared.Contains(id))
            {
                errors.Add(new ValidationError(node.Id, output.Name, $"Output '{output.Name}' is bound to variable '{id}', which is not declared."));
            }
        }

        if (node.Type == "Elsa.SetVariable")
        {
            var reference = SetVariable.VariableReference(node.Json);
            var id = DefinitionReader.Get(node.Json, "variable") is JsonObject v ? DefinitionReader.Str(v, "id") : null;
            if (reference is null)
            {
                errors.Add(new ValidationError(node.Id, "variable", "No variable is selected."));
            }
            else if (!declared.Contains(reference) && !(id is not null && declaredIds.Contains(id)))
            {
                errors.Add(new ValidationError(node.Id, "variable", $"Variable '{reference}' is used but not declared."));
            }
        }

        if (node.Type == "Elsa.FlowSwitch")
        {
            foreach (var (label, condition) in FlowSwitch.Cases(node.Json))
            {
                if (string.IsNullOrWhiteSpace(label))
                {
                    errors.Add(new ValidationError(node.Id, "cases", "A switch case has no label."));
                }

                ValidateExpression(node.Id, $"cases[{label}]", condition, declared, declaredIds, scriptFunctions, errors, typeof(bool));
            }
        }

        if (node.Type == "Elsa.Cron" && ActivityBinder.ReadExpression(DefinitionReader.Get(node.Json, "cronExpression")) is { Type: ExpressionSyntax.Literal, Value: { Length: > 0 } cron }
            && Cron.Parse(cron, out var cronError) is null)
        {
            errors.Add(new ValidationError(node.Id, "cronExpression", cronError!));
        }
    }

    private void ValidateExpression(string activityId, string input, WorkflowExpression expression, HashSet<string> declared, HashSet<string> declaredIds, IReadOnlySet<string> scriptFunctions, List<ValidationError> errors, Type? valueType)
    {
        switch (expression.Type)
        {
            case ExpressionSyntax.Literal:
                if (valueType is not null && !string.IsNullOrWhiteSpace(expression.Value) && valueType != typeof(string) && valueType != typeof(object))
                {
                    try
                    {
                        ValueConversion.To(JsonValue.Create(expression.Value), valueType);
                    }
                    catch (Exception exception) when (exception is JsonException or FormatException or InvalidCastException or OverflowException or NotSupportedException or ArgumentException or InvalidOperationException)
                    {
                        errors.Add(new ValidationError(activityId, input, $"'{expression.Value}' is not a valid {ActivityRegistry.FriendlyTypeName(valueType)}."));
                    }
                }

                break;
            case ExpressionSyntax.Variable:
                if (string.IsNullOrWhiteSpace(expression.Value) || (!declared.Contains(expression.Value) && !declaredIds.Contains(expression.Value)))
                {
                    errors.Add(new ValidationError(activityId, input, $"Variable '{expression.Value}' is used but not declared."));
                }

                break;
            case ExpressionSyntax.Object:
                if (!string.IsNullOrWhiteSpace(expression.Value))
                {
                    try
                    {
                        JsonNode.Parse(expression.Value);
                    }
                    catch (JsonException exception)
                    {
                        errors.Add(new ValidationError(activityId, input, $"The Object expression is not valid JSON: {exception.Message}"));
                    }
                }

                break;
            case ExpressionSyntax.Liquid:
                if (expressions.LiquidError(expression.Value ?? "") is { } liquidError)
                {
                    errors.Add(new ValidationError(activityId, input, $"The Liquid template does not compile: {liquidError}"));
                }
                else
                {
                    foreach (Match match in LiquidVariableReference().Matches(expression.Value ?? ""))
                    {
                        CheckDeclared(activityId, input, match.Groups[1].Value, declared, errors);
                    }

                    foreach (var name in expressions.LiquidReads(expression.Value ?? "") ?? [])
                    {
                        if (!LiquidScopeNames.Contains(name) && !declared.Contains(name))
                        {
                            errors.Add(new ValidationError(activityId, input,
                                $"The Liquid template reads '{name}', which is not a declared variable (it would render empty); declare it, or read Input, Activities, Workflow or Variables."));
                        }
                    }
                }

                break;
            case ExpressionSyntax.JavaScript:
                if (ExpressionEvaluator.JavaScriptError(expression.Value ?? "") is { } scriptError)
                {
                    errors.Add(new ValidationError(activityId, input, $"The JavaScript does not compile: {scriptError}"));
                }
                else
                {
                    foreach (Match match in ScriptVariableReference().Matches(expression.Value ?? ""))
                    {
                        CheckDeclared(activityId, input, match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value, declared, errors);
                    }

                    CheckScriptCalls(activityId, input, expression.Value ?? "", scriptFunctions, errors);
                }

                break;
            default:
                errors.Add(new ValidationError(activityId, input, $"Expression type '{expression.Type}' is not supported (use Literal, Variable, Object, Liquid or JavaScript)."));
                break;
        }
    }

    /// <summary>
    /// The functions a script of this flow may call besides its own (see <see cref="ElsaScriptEnvironment"/>): the common
    /// ones, get/set per declared variable, get per declared workflow input and get{Output}From{Activity} per activity
    /// output.
    /// </summary>
    private static HashSet<string> ScriptFunctions(JsonObject model, HashSet<string> declared, FlowchartDefinition flowchart)
    {
        var functions = new HashSet<string>(ElsaScriptEnvironment.Functions, StringComparer.Ordinal);
        foreach (var name in declared)
        {
            functions.Add($"get{ElsaScriptEnvironment.Pascalize(name)}");
            functions.Add($"set{ElsaScriptEnvironment.Pascalize(name)}");
        }

        foreach (var input in (model["inputs"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (DefinitionReader.Str(input, "name") is { Length: > 0 } name)
            {
                functions.Add($"get{ElsaScriptEnvironment.Pascalize(name)}");
            }
        }

        foreach (var node in flowchart.ActivityOrder)
        {
            foreach (var output in node.Descriptor?.Outputs ?? [])
            {
                functions.Add($"get{ElsaScriptEnvironment.Pascalize(output.Name)}From{ElsaScriptEnvironment.Pascalize(node.Name is { Length: > 0 } name ? name : node.Id)}");
            }
        }

        return functions;
    }

    /// <summary>A call of <c>getX(…)</c>/<c>setX(…)</c> that is neither the flow's nor the script's own function is refused: at run time it would be "not defined".</summary>
    private static void CheckScriptCalls(string activityId, string input, string script, IReadOnlySet<string> functions, List<ValidationError> errors)
    {
        var own = ScriptDeclaration().Matches(script).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        foreach (var name in ScriptAccessorCall().Matches(script).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal))
        {
            if (!functions.Contains(name) && !own.Contains(name))
            {
                var target = name[3..];
                errors.Add(new ValidationError(activityId, input,
                    $"The JavaScript calls {name}(), which this flow does not have: declare a variable named '{target}' (or '{char.ToLowerInvariant(target[0])}{target[1..]}'){(name.StartsWith("get", StringComparison.Ordinal) ? " or a workflow input of that name" : "")}, or use getVariable/setVariable."));
            }
        }
    }

    private static void CheckDeclared(string activityId, string input, string name, HashSet<string> declared, List<ValidationError> errors)
    {
        if (!declared.Contains(name))
        {
            errors.Add(new ValidationError(activityId, input, $"Variable '{name}' is used but not declared."));
        }
    }

    [GeneratedRegex(@"(?<![\w$.])((?:get|set)[A-Z][A-Za-z0-9_$]*)\s*\(")]
    private static partial Regex ScriptAccessorCall();

    [GeneratedRegex(@"\b(?:function|const|let|var)\s+([A-Za-z_$][A-Za-z0-9_$]*)")]
    private static partial Regex ScriptDeclaration();

    [GeneratedRegex(@"\bVariables\.([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex LiquidVariableReference();

    [GeneratedRegex(@"(?:getVariable|setVariable)\(\s*['""]([^'""]+)['""]|\bvariables\.([A-Za-z_$][A-Za-z0-9_$]*)")]
    private static partial Regex ScriptVariableReference();
}
