using System.Text.Json.Nodes;

namespace MentorFlow.Server.Tests.Studio;

/// <summary>Where two JSON documents differ (for readable round-trip failures).</summary>
internal static class JsonDiff
{
    public static List<string> Differences(JsonNode? before, JsonNode? after, string path = "$")
    {
        var found = new List<string>();
        switch (before, after)
        {
            case (JsonObject a, JsonObject b):
                foreach (var key in a.Select(pair => pair.Key).Union(b.Select(pair => pair.Key)))
                {
                    if (!a.ContainsKey(key))
                    {
                        found.Add($"{path}.{key}: added {b[key]?.ToJsonString()}");
                    }
                    else if (!b.ContainsKey(key))
                    {
                        found.Add($"{path}.{key}: removed {a[key]?.ToJsonString()}");
                    }
                    else
                    {
                        found.AddRange(Differences(a[key], b[key], $"{path}.{key}"));
                    }
                }

                break;
            case (JsonArray a, JsonArray b) when a.Count == b.Count:
                for (var i = 0; i < a.Count; i++)
                {
                    found.AddRange(Differences(a[i], b[i], $"{path}[{i}]"));
                }

                break;
            default:
                if (!JsonNode.DeepEquals(before, after))
                {
                    found.Add($"{path}: {before?.ToJsonString()} -> {after?.ToJsonString()}");
                }

                break;
        }

        return found;
    }
}
