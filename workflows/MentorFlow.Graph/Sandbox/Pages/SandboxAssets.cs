using Microsoft.AspNetCore.Http;

namespace MentorFlow.Graph.Sandbox.Pages;

/// <summary>The sandbox pages' one stylesheet and their icon, embedded in the assembly and served from the sandbox's origin.</summary>
public static class SandboxAssets
{
    public const string StylesheetPath = "/sandbox.css";

    public static readonly byte[] Stylesheet = Read("MentorFlow.Graph.Sandbox.sandbox.css");

    public static readonly byte[] Icon = Read("MentorFlow.Graph.Sandbox.favicon.ico");

    public static IResult StylesheetFile() => Results.Bytes(Stylesheet, "text/css; charset=utf-8");

    public static IResult IconFile() => Results.Bytes(Icon, "image/x-icon");

    private static byte[] Read(string name)
    {
        using var stream = typeof(SandboxAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource {name} is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
