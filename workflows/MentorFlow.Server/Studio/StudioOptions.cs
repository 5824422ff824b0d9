namespace MentorFlow.Server.Studio;

/// <summary>Settings under <c>Studio</c>.</summary>
public sealed class StudioOptions
{
    public const string Section = "Studio";

    /// <summary>The npm package this server hosts (see workflows/studio/package.json).</summary>
    public const string PackageName = "@elsa-workflows/elsa-studio-wasm";

    /// <summary>The Studio version whose API this server speaks.</summary>
    public const string PackageVersion = "3.8.2";

    /// <summary>
    /// Folder holding the unpacked Studio package (<c>_framework/</c>, <c>_content/</c>). When empty the server looks for
    /// <c>workflows/studio/node_modules/@elsa-workflows/elsa-studio-wasm</c> above its content root and its binaries.
    /// </summary>
    public string? PackagePath { get; set; }
}
