using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Acornima;
using Acornima.Ast;
using Fluid;
using Jint;
using Jint.Native;
using Jint.Runtime;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Runtime;
using Microsoft.Extensions.Options;

namespace MentorFlow.Workflows.Expressions;

/// <summary>What an expression can see: variables, workflow input, activity outputs, instance facts.</summary>
internal sealed class ExpressionScope
{
    public required Dictionary<string, JsonNode?> Variables { get; init; }
    public required JsonObject Input { get; init; }
    public required IReadOnlyDictionary<string, JsonObject> ActivityOutputs { get; init; }

    /// <summary>Activity name → id, so outputs can be addressed by either.</summary>
    public required IReadOnlyDictionary<string, string> ActivityNames { get; init; }

    public required string InstanceId { get; init; }
    public required string DefinitionId { get; init; }
    public string? CorrelationId { get; init; }

    /// <summary>Variable id → name, for Variable expressions that reference by id.</summary>
    public IReadOnlyDictionary<string, string> VariableIds { get; init; } = new Dictionary<string, string>();

    public JsonObject? OutputsOf(string activity) =>
        ActivityOutputs.TryGetValue(activity, out var outputs)
            ? outputs
            : ActivityNames.TryGetValue(activity, out var id) && ActivityOutputs.TryGetValue(id, out outputs) ? outputs : null;
}

/// <summary>
/// Evaluates Literal, Variable, Object, Liquid (Fluid) and JavaScript (Jint) expressions. JavaScript runs with no
/// CLR access and within the configured time, memory, recursion and statement limits; any failure becomes an
/// <see cref="ActivityInputException"/> naming the activity and input. The input's <see cref="InputContent"/> decides
/// the encoding: Liquid for an HTML input renders with an HTML encoder (values inserted from data are encoded, the
/// template's literal markup is kept, <c>| raw</c> inserts a trusted value as is); single-line and plain-text results
/// are cleaned of control characters whatever the syntax. A result is never rendered a second time: Liquid markup in a
/// value (or in a JavaScript result) stays text. What one evaluation may produce is bounded
/// (<see cref="WorkflowEngineOptions.ExpressionOutputLimitBytes"/>): a breach stops it early and becomes an
/// <see cref="ActivityInputException"/> naming the limit and its setting.
/// </summary>
internal sealed class ExpressionEvaluator
{
    private static readonly FluidParser LiquidParser = new(new FluidParserOptions { AllowFunctions = false });

    /// <summary>Parsed Liquid templates and prepared scripts by source, each at most <see cref="WorkflowEngineOptions.MaxCachedExpressions"/>.</summary>
    private readonly BoundedCache<string, IFluidTemplate> _templates;
    private readonly BoundedCache<string, Prepared<Script>> _scripts;

    /// <summary>Scripts may <c>return</c> their value at top level, as Elsa's do.</summary>
    private static readonly ScriptPreparationOptions ScriptPreparation = new()
    {
        ParsingOptions = ScriptParsingOptions.Default with { AllowReturnOutsideFunction = true },
    };
    private readonly TemplateOptions _templateOptions;
    private readonly WorkflowEngineOptions _options;

    public ExpressionEvaluator(IOptions<WorkflowEngineOptions> options)
    {
        _options = options.Value;
        _templates = new(_options.MaxCachedExpressions, StringComparer.Ordinal);
        _scripts = new(_options.MaxCachedExpressions, StringComparer.Ordinal);
        _templateOptions = BoundedLiquid.Options(_options.LiquidStepLimit, _options.ExpressionOutputLimitBytes);
    }

    /// <summary>The Liquid templates and scripts held parsed (each at most <see cref="WorkflowEngineOptions.MaxCachedExpressions"/>).</summary>
    internal (int Templates, int Scripts) CachedCounts => (_templates.Count, _scripts.Count);

    /// <summary>Throws an <see cref="ActivityInputException"/> when a value to write to a variable or output is over <see cref="WorkflowEngineOptions.VariableValueLimitBytes"/>.</summary>
    public void CheckValue(JsonNode? value, string activityId, string target) =>
        ExpressionLimits.CheckValue(value, _options.VariableValueLimitBytes, activityId, target);

    /// <summary>Encodes values Liquid inserts into HTML: markup characters become entities, letters of any script stay readable.</summary>
    private static readonly HtmlEncoder HtmlValues = HtmlEncoder.Create(UnicodeRanges.All);

    public JsonNode? Evaluate(WorkflowExpression expression, ExpressionScope scope, string activityId, string input, InputContent content = InputContent.Value)
    {
        var result = EvaluateRaw(expression, scope, activityId, input, content);
        return content is InputContent.SingleLine or InputContent.PlainText && result is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? JsonValue.Create(InputText.Clean(value.GetValue<string>(), content))
            : result;
    }

    private JsonNode? EvaluateRaw(WorkflowExpression expression, ExpressionScope scope, string activityId, string input, InputContent content)
    {
        switch (expression.Type)
        {
            case ExpressionSyntax.Literal:
                return expression.Value is null ? null : JsonValue.Create(expression.Value);
            case ExpressionSyntax.Variable:
                return EvaluateVariable(expression.Value, scope, activityId, input);
            case ExpressionSyntax.Object:
                return EvaluateObject(expression.Value, activityId, input);
            case ExpressionSyntax.Liquid:
                return JsonValue.Create(RenderLiquid(expression.Value ?? "", scope, activityId, input, content == InputContent.Html));
            case ExpressionSyntax.JavaScript:
                return RunJavaScript(expression.Value ?? "", scope, activityId, input);
            default:
                throw new ActivityInputException(activityId, input, $"expression type '{expression.Type}' is not supported (use Literal, Variable, Object, Liquid or JavaScript).");
        }
    }

    private static JsonNode? EvaluateVariable(string? reference, ExpressionScope scope, string activityId, string input)
    {
        var name = reference ?? "";
        if (!scope.Variables.ContainsKey(name) && scope.VariableIds.TryGetValue(name, out var byId))
        {
            name = byId;
        }

        if (!scope.Variables.TryGetValue(name, out var value))
        {
            throw new ActivityInputException(activityId, input, $"variable '{reference}' is not declared.");
        }

        return value?.DeepClone();
    }

    private static JsonNode? EvaluateObject(string? json, string activityId, string input)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new ActivityInputException(activityId, input, $"Object expression is not valid JSON: {exception.Message}", exception);
        }
    }

    /// <summary>The names a Liquid template reads from its scope (null when it does not compile).</summary>
    public IReadOnlyCollection<string>? LiquidReads(string template)
    {
        if (!_templates.TryGet(template, out var parsed))
        {
            if (!LiquidParser.TryParse(template, out parsed, out _))
            {
                return null;
            }

            _templates.Set(template, parsed);
        }

        return LiquidNames.ReadFromScope(parsed);
    }

    /// <summary>Parses a Liquid template (cached); null error when it compiles.</summary>
    public string? LiquidError(string template)
    {
        if (_templates.TryGet(template, out _))
        {
            return null;
        }

        if (LiquidParser.TryParse(template, out var parsed, out var error))
        {
            _templates.Set(template, parsed);
            return null;
        }

        return error;
    }

    /// <summary>Parses JavaScript with Acornima; null error when it compiles.</summary>
    public static string? JavaScriptError(string script)
    {
        try
        {
            new Parser(new ParserOptions { AllowReturnOutsideFunction = true }).ParseScript(script);
            return null;
        }
        catch (ParseErrorException exception)
        {
            return exception.Message;
        }
    }

    private string RenderLiquid(string source, ExpressionScope scope, string activityId, string input, bool html)
    {
        if (!_templates.TryGet(source, out var template))
        {
            if (!LiquidParser.TryParse(source, out template, out var error))
            {
                throw new ActivityInputException(activityId, input, $"Liquid template does not compile: {error}");
            }

            _templates.Set(source, template);
        }

        var context = new TemplateContext(_templateOptions);
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in scope.Variables)
        {
            var plain = ValueConversion.ToPlain(value);
            variables[name] = plain;
            context.SetValue(name, plain);
        }

        context.SetValue("Variables", variables);
        context.SetValue("Input", ValueConversion.ToPlain(scope.Input));
        var outputs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (id, values) in scope.ActivityOutputs)
        {
            outputs[id] = ValueConversion.ToPlain(values);
        }

        foreach (var (name, id) in scope.ActivityNames)
        {
            if (outputs.TryGetValue(id, out var values))
            {
                outputs.TryAdd(name, values);
            }
        }

        context.SetValue("Activities", outputs);
        context.SetValue("Workflow", new Dictionary<string, object?>
        {
            ["InstanceId"] = scope.InstanceId,
            ["DefinitionId"] = scope.DefinitionId,
            ["CorrelationId"] = scope.CorrelationId,
        });
        context.SetValue("CorrelationId", scope.CorrelationId);
        using var writer = new BoundedWriter(_options.ExpressionOutputLimitBytes);
        try
        {
            var rendering = template.RenderAsync(writer, html ? HtmlValues : NullEncoder.Default, context);
            if (!rendering.IsCompletedSuccessfully)
            {
                rendering.AsTask().GetAwaiter().GetResult();
            }

            return writer.ToString();
        }
        catch (ExpressionLimitException exception)
        {
            throw new ActivityInputException(activityId, input, exception.Message);
        }
        catch (InvalidOperationException exception) when (exception.Message.StartsWith("The maximum", StringComparison.Ordinal))
        {
            // Fluid reports its step limit as "the maximum level of recursion" (templates cannot include others here).
            throw new ActivityInputException(activityId, input,
                $"Liquid template exceeded the limit of {_options.LiquidStepLimit.ToString(CultureInfo.InvariantCulture)} steps ({ExpressionLimits.LiquidStepSetting}).");
        }
        catch (Exception exception) when (exception is not ActivityInputException)
        {
            throw new ActivityInputException(activityId, input, $"Liquid template failed: {exception.Message}", exception);
        }
    }

    private JsonNode? RunJavaScript(string source, ExpressionScope scope, string activityId, string input)
    {
        if (!_scripts.TryGet(source, out var prepared))
        {
            try
            {
                prepared = Engine.PrepareScript(source, options: ScriptPreparation);
            }
            catch (ParseErrorException exception)
            {
                throw new ActivityInputException(activityId, input, $"JavaScript does not compile: {exception.Message}", exception);
            }

            _scripts.Set(source, prepared);
        }

        var limit = _options.ExpressionOutputLimitBytes;
        var engine = new Engine(o =>
        {
            o.LimitMemory(_options.ScriptMemoryLimitBytes)
                .TimeoutInterval(_options.ScriptTimeout)
                .MaxStatements(_options.ScriptStatementLimit)
                .LimitRecursion(_options.ScriptRecursionLimit)
                .RegexTimeoutInterval(_options.ScriptTimeout);
            o.Constraints.MaxArraySize = (uint)Math.Min(limit, int.MaxValue);
        });
        try
        {
            BoundedScripts.Install(engine, limit);
            var parser = new Jint.Native.Json.JsonParser(engine);
            JsValue FromNode(JsonNode? node) => node is null ? JsValue.Null : parser.Parse(node.ToJsonString());

            var variables = new JsonObject();
            foreach (var (name, value) in scope.Variables)
            {
                variables[name] = value?.DeepClone();
            }

            engine.SetValue("variables", FromNode(variables));
            foreach (var (name, value) in scope.Variables)
            {
                if (IsIdentifier(name))
                {
                    engine.SetValue(name, FromNode(value));
                }
            }

            engine.SetValue("input", FromNode(scope.Input));
            engine.SetValue("workflowInstanceId", scope.InstanceId);
            engine.SetValue("definitionId", scope.DefinitionId);
            engine.SetValue("correlationId", scope.CorrelationId is null ? JsValue.Null : new JsString(scope.CorrelationId));
            engine.SetValue("getVariable", new Func<string, JsValue>(name => FromNode(scope.Variables.GetValueOrDefault(name))));
            var setVariable = new Action<string, JsValue>((name, value) =>
            {
                var node = ToNode(engine, value, limit);
                ExpressionLimits.CheckValue(node, _options.VariableValueLimitBytes, activityId, $"{input} (setVariable '{name}')");
                scope.Variables[name] = node;
            });
            engine.SetValue("setVariable", setVariable);
            engine.SetValue("getInput", new Func<string, JsValue>(name => FromNode(scope.Input[name])));
            engine.SetValue("getOutputFrom", new Func<string, string, JsValue>((activity, output) => FromNode(scope.OutputsOf(activity)?[output])));
            ElsaScriptEnvironment.Install(engine, scope, FromNode, setVariable);
            var result = engine.Evaluate(prepared);
            return ToNode(engine, result, limit);
        }
        catch (ExpressionLimitException exception)
        {
            throw new ActivityInputException(activityId, input, exception.Message);
        }
        catch (TimeoutException)
        {
            throw new ActivityInputException(activityId, input,
                $"JavaScript exceeded the time limit of {_options.ScriptTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (Workflows:ScriptTimeout).");
        }
        catch (MemoryLimitExceededException)
        {
            throw new ActivityInputException(activityId, input,
                $"JavaScript exceeded the memory limit of {ExpressionLimits.Bytes(_options.ScriptMemoryLimitBytes)} (Workflows:ScriptMemoryLimitBytes).");
        }
        catch (StatementsCountOverflowException)
        {
            throw new ActivityInputException(activityId, input,
                $"JavaScript exceeded the limit of {_options.ScriptStatementLimit.ToString(CultureInfo.InvariantCulture)} statements (Workflows:ScriptStatementLimit).");
        }
        catch (RecursionDepthOverflowException)
        {
            throw new ActivityInputException(activityId, input,
                $"JavaScript exceeded the recursion depth limit of {_options.ScriptRecursionLimit.ToString(CultureInfo.InvariantCulture)} (Workflows:ScriptRecursionLimit).");
        }
        catch (JavaScriptException exception)
        {
            throw new ActivityInputException(activityId, input, $"JavaScript error: {exception.Message}");
        }
        catch (OutOfMemoryException)
        {
            throw new ActivityInputException(activityId, input,
                $"JavaScript tried to build a value larger than the process can hold; values are limited to {ExpressionLimits.Bytes(limit)} ({ExpressionLimits.OutputSetting}).");
        }
        catch (Exception exception) when (exception is ParseErrorException or JintException or InvalidOperationException or ArgumentException or JsonException)
        {
            throw new ActivityInputException(activityId, input, $"JavaScript failed: {exception.Message}");
        }
    }

    /// <summary>A script's value as JSON; a string or serialized value over <paramref name="limit"/> UTF-8 bytes is refused.</summary>
    private static JsonNode? ToNode(Engine engine, JsValue value, long limit)
    {
        if (value.IsNull() || value.IsUndefined())
        {
            return null;
        }

        if (value.IsString())
        {
            var text = value.AsString();
            ExpressionLimits.CheckText(text, limit, "The JavaScript result");
            return JsonValue.Create(text);
        }

        if (value.IsBoolean())
        {
            return JsonValue.Create(value.AsBoolean());
        }

        if (value.IsNumber())
        {
            var number = value.AsNumber();
            return Math.Abs(number % 1) < double.Epsilon && Math.Abs(number) < 9e15 ? JsonValue.Create((long)number) : JsonValue.Create(number);
        }

        var json = new Jint.Native.Json.JsonSerializer(engine).Serialize(value);
        if (json.IsUndefined())
        {
            return null;
        }

        var serialized = json.AsString();
        ExpressionLimits.CheckText(serialized, limit, "The JavaScript result");
        return JsonNode.Parse(serialized);
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] is '_' or '$') && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '$')
        && name is not ("input" or "variables" or "correlationId" or "workflowInstanceId" or "definitionId") && !ElsaScriptEnvironment.Functions.Contains(name);
}
