using System.Net;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MentorFlow.Graph.Gateway;
using MentorFlow.Graph.Tests.Infrastructure;
using Microsoft.Graph.Models;

namespace MentorFlow.Graph.Tests;

/// <summary>
/// The Graph SDK keeps its JSON writer in a process-wide registry and wraps it in a backing-store proxy whenever a
/// client is built; two clients built at once could wrap it twice, and from then on every body named each property
/// set to null twice (<c>"recurrence":null,"recurrence":null</c>), so every invite and mail of the process failed.
/// Each trial below loads the SDK afresh (its own load context, so its registry starts unwrapped, as in a new process)
/// and builds many clients at the same instant.
/// </summary>
public sealed class ClientConstructionTests
{
    private const int Trials = 12;
    private const int Builders = 16;

    [Fact]
    public void ClientsBuiltAtTheSameInstant_InANewProcess_WriteEachPropertyOfABodyOnce()
    {
        var worst = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var context = new FreshContext(typeof(ClientConstructionTests).Assembly.Location);
            try
            {
                var probe = context.LoadFromAssemblyPath(typeof(ClientConstructionTests).Assembly.Location)
                    .GetType(typeof(ClientConstructionTests).FullName!)!
                    .GetMethod(nameof(BuildAtOnceAndCountNullRecurrences), BindingFlags.Static | BindingFlags.NonPublic)!;
                worst = Math.Max(worst, (int)probe.Invoke(null, [Builders])!);
            }
            finally
            {
                context.Unload();
            }
        }

        Assert.Equal(1, worst);
    }

    [Fact]
    public async Task Sandbox_BodyThatNamesAPropertyTwice_IsAnswered400_NotAFailure()
    {
        await using var server = await SandboxServer.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUrl.ToString().TrimEnd('/') + $"/users/{SandboxServer.Organizer}/events"))
        {
            Content = new StringContent("""{"subject":"Kick-off","recurrence":null,"recurrence":null}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", server.AccessToken);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("BadRequest", error.GetProperty("code").GetString());
        Assert.StartsWith("Unable to read JSON request payload", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(server.TakeErrors());
    }

    /// <summary>Runs inside a fresh load context: builds clients at one instant, then counts <c>"recurrence"</c> in a body that sets it to null.</summary>
    private static int BuildAtOnceAndCountNullRecurrences(int builders)
    {
        using var start = new Barrier(builders);
        var clients = new Microsoft.Graph.GraphServiceClient[builders];
        var threads = Enumerable.Range(0, builders).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            clients[i] = GraphClientProvider.CreateSandboxClient("http://127.0.0.1:9/v1.0", "token");
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var invite = new Event { Subject = "Kick-off", Recurrence = null };
        var information = clients[0].Users["organizer@contoso.test"].Events.ToPostRequestInformation(invite);
        using var reader = new StreamReader(information.Content);
        var json = reader.ReadToEnd();
        foreach (var client in clients)
        {
            client.Dispose();
        }

        return Regex.Count(json, "\"recurrence\"");
    }

    /// <summary>Loads this test assembly and its dependencies afresh, so the SDK's static registries start empty.</summary>
    private sealed class FreshContext(string mainAssembly) : AssemblyLoadContext(isCollectible: true)
    {
        private readonly AssemblyDependencyResolver _resolver = new(mainAssembly);

        protected override Assembly? Load(AssemblyName assemblyName) =>
            _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
    }
}
