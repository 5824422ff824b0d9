using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Xml;

namespace MentorFlow.Workflows.Activities;

/// <summary>Converts between workflow values (JSON nodes) and typed CLR values.</summary>
internal static class ValueConversion
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : JsonNode.Parse(element.GetRawText()),
        TimeSpan span => JsonValue.Create(span.ToString("c", CultureInfo.InvariantCulture)),
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), Json),
    };

    public static T? To<T>(JsonNode? node, string activityId, string input)
    {
        try
        {
            return (T?)To(node, typeof(T));
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidCastException or OverflowException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new ActivityInputException(activityId, input,
                $"cannot convert '{Truncate(node?.ToJsonString())}' to {typeof(T).Name}: {exception.Message}", exception);
        }
    }

    public static object? To(JsonNode? node, Type type)
    {
        if (node is null)
        {
            return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;
        }

        if (typeof(JsonNode).IsAssignableFrom(type))
        {
            return node.DeepClone();
        }

        if (type == typeof(JsonElement))
        {
            return JsonSerializer.Deserialize<JsonElement>(node.ToJsonString());
        }

        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(object))
        {
            return ToPlain(node);
        }

        if (node is JsonValue value && value.TryGetValue<string>(out var text))
        {
            return FromString(text, target, type);
        }

        if (target == typeof(string))
        {
            return node is JsonValue ? node.ToString() : node.ToJsonString();
        }

        return node.Deserialize(type, Json);
    }

    private static object? FromString(string text, Type target, Type declared)
    {
        if (target == typeof(string))
        {
            return text;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return declared.IsValueType && Nullable.GetUnderlyingType(declared) is null ? Activator.CreateInstance(declared) : null;
        }

        var trimmed = text.Trim();
        if (target == typeof(bool))
        {
            return bool.Parse(trimmed);
        }

        if (target.IsEnum)
        {
            return Enum.Parse(target, trimmed, ignoreCase: true);
        }

        if (target == typeof(TimeSpan))
        {
            return trimmed.StartsWith('P') || trimmed.StartsWith("-P", StringComparison.Ordinal)
                ? XmlConvert.ToTimeSpan(trimmed)
                : TimeSpan.Parse(trimmed, CultureInfo.InvariantCulture);
        }

        if (target == typeof(DateTimeOffset))
        {
            return DateTimeOffset.Parse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }

        if (target == typeof(DateTime))
        {
            return DateTime.Parse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        }

        if (target == typeof(Guid))
        {
            return Guid.Parse(trimmed);
        }

        if (target.IsPrimitive || target == typeof(decimal))
        {
            return Convert.ChangeType(trimmed, target, CultureInfo.InvariantCulture);
        }

        if (trimmed.StartsWith('[') || trimmed.StartsWith('{'))
        {
            return JsonSerializer.Deserialize(trimmed, declared, Json);
        }

        if (typeof(IEnumerable).IsAssignableFrom(target))
        {
            // A literal list typed into a single-line input: "a, b, c".
            var items = trimmed.Split([',', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return JsonSerializer.Deserialize(JsonSerializer.Serialize(items), declared, Json);
        }

        var converter = TypeDescriptor.GetConverter(target);
        if (converter.CanConvertFrom(typeof(string)))
        {
            return converter.ConvertFromInvariantString(trimmed);
        }

        return JsonSerializer.Deserialize(JsonSerializer.Serialize(trimmed), declared, Json);
    }

    /// <summary>JSON to plain CLR values (dictionaries, lists, string, long/double/decimal, bool) for templates.</summary>
    public static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToPlain(p.Value), StringComparer.Ordinal),
        JsonArray array => array.Select(ToPlain).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => value.TryGetValue<long>(out var l) ? l : value.TryGetValue<decimal>(out var m) ? m : value.GetValue<double>(),
            _ => value.ToString(),
        },
        _ => node.ToJsonString(),
    };

    /// <summary>Truthiness of a condition result: booleans, "true"/"True", non-zero numbers.</summary>
    public static bool IsTrue(JsonNode? node) => node switch
    {
        null => false,
        JsonValue value when value.GetValueKind() == JsonValueKind.True => true,
        JsonValue value when value.GetValueKind() == JsonValueKind.False => false,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => bool.TryParse(value.ToString().Trim(), out var b) && b,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.GetValue<double>() != 0,
        _ => true,
    };

    private static string? Truncate(string? text) => text is { Length: > 80 } ? text[..80] + "…" : text;
}
