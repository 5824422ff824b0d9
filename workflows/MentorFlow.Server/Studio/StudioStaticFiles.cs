using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace MentorFlow.Server.Studio;

/// <summary>
/// Serves the Studio package's files under <c>/studio/</c>: the right MIME types (<c>.wasm</c> as
/// <c>application/wasm</c>, <c>.dat</c> as <c>application/octet-stream</c>), the package's precompressed <c>.br</c> /
/// <c>.gz</c> twins when the browser accepts them, fingerprinted files cached for a year as immutable, the rest
/// revalidated (<c>no-cache</c> with ETag and Last-Modified).
/// </summary>
internal static partial class StudioStaticFiles
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = CreateContentTypes();

    public static IResult Serve(string path, HttpContext http, StudioPackage package)
    {
        if (!package.IsInstalled)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Elsa Studio is not installed.",
                detail: StudioPages.InstallHint);
        }

        var file = package.Files.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory || file.PhysicalPath is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"The Studio has no file '{path}'.");
        }

        var contentType = ContentTypeOf(path);
        var (served, encoding) = ChooseEncoding(path, http.Request, package);
        var response = http.Response;
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        response.Headers.CacheControl = IsFingerprinted(path) ? "public, max-age=31536000, immutable" : "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        if (encoding is not null)
        {
            response.Headers.ContentEncoding = encoding;
        }

        var tag = new EntityTagHeaderValue(string.Create(
            CultureInfo.InvariantCulture, $"\"{served.Length:x}-{served.LastModified.UtcTicks:x}{(encoding is null ? "" : "-" + encoding)}\""));
        return TypedResults.PhysicalFile(
            served.PhysicalPath!, contentType, lastModified: file.LastModified, entityTag: tag, enableRangeProcessing: encoding is null);
    }

    public static string ContentTypeOf(string path) =>
        ContentTypes.TryGetContentType(path, out var type) ? type : "application/octet-stream";

    /// <summary>True for names carrying a content hash (e.g. <c>MudBlazor.fk4q4b3gx5.wasm</c>): safe to cache forever.</summary>
    public static bool IsFingerprinted(string path) => Fingerprint().IsMatch(Path.GetFileName(path));

    private static (Microsoft.Extensions.FileProviders.IFileInfo File, string? Encoding) ChooseEncoding(
        string path, HttpRequest request, StudioPackage package)
    {
        var plain = package.Files.GetFileInfo(path);
        if (path.EndsWith(".br", StringComparison.Ordinal) || path.EndsWith(".gz", StringComparison.Ordinal))
        {
            return (plain, null);
        }

        var accepted = request.Headers.AcceptEncoding.ToString();
        foreach (var (suffix, encoding) in (ReadOnlySpan<(string, string)>)[(".br", "br"), (".gz", "gzip")])
        {
            if (Accepts(accepted, encoding) && package.Files.GetFileInfo(path + suffix) is { Exists: true, PhysicalPath: not null } twin)
            {
                return (twin, encoding);
            }
        }

        return (plain, null);
    }

    private static bool Accepts(string acceptEncoding, string encoding)
    {
        foreach (var part in acceptEncoding.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(';', 2, StringSplitOptions.TrimEntries);
            if (!string.Equals(pieces[0], encoding, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            return pieces.Length == 1 || !pieces[1].Replace(" ", "", StringComparison.Ordinal).Equals("q=0", StringComparison.OrdinalIgnoreCase);
        }

        return false;
    }

    private static FileExtensionContentTypeProvider CreateContentTypes()
    {
        var provider = new FileExtensionContentTypeProvider();
        provider.Mappings[".wasm"] = "application/wasm";
        provider.Mappings[".dat"] = "application/octet-stream";
        provider.Mappings[".blat"] = "application/octet-stream";
        provider.Mappings[".dll"] = "application/octet-stream";
        provider.Mappings[".webcil"] = "application/octet-stream";
        provider.Mappings[".pdb"] = "application/octet-stream";
        provider.Mappings[".js"] = "text/javascript";
        provider.Mappings[".mjs"] = "text/javascript";
        provider.Mappings[".map"] = "application/json";
        provider.Mappings[".json"] = "application/json";
        provider.Mappings[".scss"] = "text/plain";
        provider.Mappings[".br"] = "application/octet-stream";
        provider.Mappings[".gz"] = "application/octet-stream";
        return provider;
    }

    [GeneratedRegex(@"\.[a-z0-9]{10}\.[A-Za-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Fingerprint();
}
