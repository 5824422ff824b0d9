using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MentorFlow.Testing.Server;

namespace MentorFlow.EndToEnd.Infrastructure;

/// <summary>The real server in process (see <see cref="InProcessServer"/>) with the settings a test gives.</summary>
public sealed class MentorFlowApp(IDictionary<string, string?>? settings = null)
    : InProcessServer(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()))
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}

public static class HttpAssertions
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(MentorFlowApp.Json);

    /// <summary>The names of the fields in a problem's <c>errors</c>, sorted.</summary>
    public static async Task<string[]> ProblemFieldsAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        return problem.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal).ToArray()
            : [];
    }
}
