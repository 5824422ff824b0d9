using System.Text.Json;
using System.Text.Json.Nodes;

namespace MentorFlow.Cli.Tests.Notebooks;

/// <summary>Writes small .ipynb files (Polyglot format) into a temporary folder and reads executed ones back.</summary>
internal sealed class NotebookFolder : IDisposable
{
    public NotebookFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "mf-nb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Out => Path.Combine(Root, "out");

    public static JsonObject Markdown(string text) => new()
    {
        ["cell_type"] = "markdown",
        ["metadata"] = new JsonObject(),
        ["source"] = text,
    };

    public static JsonObject Code(string text, bool parameters = false)
    {
        var metadata = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } };
        if (parameters)
        {
            metadata["tags"] = new JsonArray("parameters");
        }

        return new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = metadata,
            ["outputs"] = new JsonArray(),
            ["source"] = text,
        };
    }

    public string Write(string name, params JsonObject[] cells)
    {
        var notebook = new JsonObject
        {
            ["cells"] = new JsonArray([.. cells]),
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["polyglot_notebook"] = new JsonObject
                {
                    ["kernelInfo"] = new JsonObject
                    {
                        ["defaultKernelName"] = "csharp",
                        ["items"] = new JsonArray(new JsonObject { ["name"] = "csharp" }),
                    },
                },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(Root, name + ".ipynb");
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }

    public JsonArray ExecutedCells(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Out, name + ".ipynb")))!["cells"]!.AsArray();

    public static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        JsonValue value => value.GetValue<string>(),
        _ => string.Empty,
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A kernel may still hold a file briefly; the OS temp cleaner will take it.
        }
    }
}

/// <summary>A clock fixed at one instant (the report's generation time).</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

internal static class JsonTestExtensions
{
    public static IEnumerable<JsonObject> Outputs(this JsonNode cell) =>
        cell["outputs"]?.AsArray().Select(o => o!.AsObject()) ?? [];

    public static string Kind(this JsonObject output) => output["output_type"]!.GetValue<string>();

    public static string AllText(this JsonNode cell) =>
        string.Join('\n', cell.Outputs().Select(o => NotebookFolder.Text(o["text"]) + NotebookFolder.Text(o["evalue"]) + NotebookFolder.Text(o["data"]?["text/plain"]) + NotebookFolder.Text(o["data"]?["text/html"])));

    public static JsonSerializerOptions Indented { get; } = new() { WriteIndented = true };
}
