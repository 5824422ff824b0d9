using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Definitions;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Workflows.Runtime;

/// <summary>Creates activity objects for a node and binds their <c>Input&lt;T&gt;</c>/<c>Output&lt;T&gt;</c> properties from the definition JSON.</summary>
internal static class ActivityBinder
{
    private sealed record Member(PropertyInfo Property, string JsonName, bool IsInput, Type ValueType, Type WrapperType);

    private static readonly ConcurrentDictionary<Type, Member[]> Plans = new();
    private static readonly ConcurrentDictionary<Type, ObjectFactory> Factories = new();

    public static Activity Create(BurstContext burst, ActivityNode node, Type type)
    {
        var factory = Factories.GetOrAdd(type, static t => ActivatorUtilities.CreateFactory(t, Type.EmptyTypes));
        var activity = (Activity)factory(burst.Services, null);
        foreach (var member in Plan(type))
        {
            var json = DefinitionReader.Get(node.Json, member.JsonName);
            if (member.IsInput)
            {
                var expression = ReadExpression(json);
                if (expression is not null)
                {
                    member.Property.SetValue(activity, Activator.CreateInstance(member.WrapperType, expression));
                }
            }
            else if (json is JsonObject output && DefinitionReader.Get(output, "memoryReference") is JsonObject reference
                     && DefinitionReader.Str(reference, "id") is { Length: > 0 } id)
            {
                member.Property.SetValue(activity, Activator.CreateInstance(member.WrapperType, id));
            }

            if (member.Property.GetValue(activity) is { } bound)
            {
                burst.RegisterMember(bound, member.IsInput ? member.JsonName : member.Property.Name);
            }
        }

        return activity;
    }

    /// <summary>Reads an input's expression from the Elsa shapes: <c>{typeName, expression:{type,value}}</c> or a bare literal.</summary>
    public static WorkflowExpression? ReadExpression(JsonNode? json)
    {
        switch (json)
        {
            case null:
                return null;
            case JsonObject wrapped when DefinitionReader.Get(wrapped, "expression") is JsonObject expression:
                {
                    var type = DefinitionReader.Str(expression, "type") ?? ExpressionSyntax.Literal;
                    var value = DefinitionReader.Get(expression, "value");
                    return new WorkflowExpression(type, ExpressionText(type, value));
                }

            case JsonObject wrapped when DefinitionReader.Get(wrapped, "typeName") is not null:
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return WorkflowExpression.Literal(value.GetValue<string>());
            default:
                return WorkflowExpression.Literal(json.ToJsonString());
        }
    }

    private static string? ExpressionText(string type, JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonObject variable when type == ExpressionSyntax.Variable =>
            DefinitionReader.Str(variable, "name") ?? DefinitionReader.Str(variable, "id"),
        _ => value.ToJsonString(),
    };

    private static Member[] Plan(Type type) => Plans.GetOrAdd(type, static t =>
    [
        .. t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType.IsGenericType && p.CanWrite
                        && (p.PropertyType.GetGenericTypeDefinition() == typeof(Input<>) || p.PropertyType.GetGenericTypeDefinition() == typeof(Output<>)))
            .Select(p => new Member(
                p,
                char.ToLowerInvariant(p.Name[0]) + p.Name[1..],
                p.PropertyType.GetGenericTypeDefinition() == typeof(Input<>),
                p.PropertyType.GetGenericArguments()[0],
                p.PropertyType)),
    ]);
}
