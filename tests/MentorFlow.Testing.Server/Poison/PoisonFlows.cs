using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MentorFlow.Testing.Server.Poison;

/// <summary>How to run <see cref="PoisonFlows"/>.</summary>
public sealed record PoisonOptions
{
    /// <summary>The built server to start (<see cref="ChildServer.FindServerDll"/>).</summary>
    public required string ServerDll { get; init; }

    /// <summary>Instances started at once per case.</summary>
    public int InstancesPerCase { get; init; } = 1;

    /// <summary>How long a faulted poison instance is watched for retries (longer than the sweep interval).</summary>
    public TimeSpan RetryWatch { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>How often memory and <c>/alive</c> are sampled.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the server may take to start (minutes on a loaded machine).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one instance may take to reach the state its case expects.</summary>
    public TimeSpan CaseTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Server settings (<c>Section:Key</c>) on top of the defaults; none by default.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Slowest <c>/alive</c> answer that counts as responsive: the benchmark holds the product's 1 s target on a quiet
    /// machine; the test suite's smoke run, sharing its cores with other tests, asks only that the server never hangs.
    /// </summary>
    public TimeSpan AliveTarget { get; init; } = PoisonFlows.AliveTarget;
}

/// <summary>One hostile case: what was done, what the server answered and how it held up meanwhile.</summary>
public sealed record PoisonCaseResult(string Case, string Outcome, string Incident, long PeakResidentBytes, TimeSpan MaxAliveLatency, int AliveFailures, IReadOnlyList<string> Failures);

/// <summary>The whole run: each case, and the server's memory at start, at its peak and after the cases.</summary>
public sealed record PoisonRunResult(
    IReadOnlyList<PoisonCaseResult> Cases, long StartResidentBytes, long PeakResidentBytes, long EndResidentBytes,
    TimeSpan MaxAliveLatency, int AliveProbes, int AliveFailures, TimeSpan StartUp, TimeSpan Duration, TimeSpan AliveTarget)
{
    public IReadOnlyList<string> Failures =>
    [
        .. Cases.SelectMany(result => result.Failures.Select(failure => $"{result.Case}: {failure}")),
        .. PeakResidentBytes >= PoisonFlows.ResidentTarget ? [$"peak RSS {PoisonFlows.MiB(PeakResidentBytes)} over the target of {PoisonFlows.MiB(PoisonFlows.ResidentTarget)}"] : Array.Empty<string>(),
        .. MaxAliveLatency >= AliveTarget ? [$"/alive took {MaxAliveLatency.TotalMilliseconds:N0} ms, target < {AliveTarget.TotalMilliseconds:N0} ms"] : Array.Empty<string>(),
        .. AliveFailures > 0 ? [$"{AliveFailures} /alive probes failed"] : Array.Empty<string>(),
    ];
}

/// <summary>
/// The hostile flows of a careless or malicious flow author, run against the real server in a child process through
/// the Studio's API (save and publish, dispatch or execute, read the instance, cancel, delete), while its resident
/// memory and <c>/alive</c> latency are sampled. Every case must end the way a manager can act on (an incident naming
/// the limit and its setting, no stack trace in any answer, cancel and delete working), and the server must stay under
/// <see cref="ResidentTarget"/> and answer <c>/alive</c> within <see cref="AliveTarget"/> throughout.
/// </summary>
public static class PoisonFlows
{
    public const long ResidentTarget = 1536L * 1024 * 1024;
    public static readonly TimeSpan AliveTarget = TimeSpan.FromSeconds(1);
    private const string OutputLimit = "Workflows:ExpressionOutputLimitBytes";

    private enum Start
    {
        Dispatch,
        Execute,
    }

    private enum Follow
    {
        CancelThenDelete,
        DeleteRunning,
    }

    /// <summary>A case: its flow, how it is started, the setting its incident must name (none: it waits) and what follows.</summary>
    private sealed record Case(string Name, Func<string, JsonObject> Flow, Start Start, string? Setting, Follow Follow = Follow.CancelThenDelete, bool WatchRetries = false);

    private static readonly Case[] Cases =
    [
        new("Liquid append doubling x29", id => PoisonFlowModels.LiquidDoubling(id, 29), Start.Dispatch, OutputLimit),
        new("Liquid append doubling x30", id => PoisonFlowModels.LiquidDoubling(id, 30), Start.Dispatch, OutputLimit),
        new("JavaScript 'x'.repeat(2e7) as text", id => PoisonFlowModels.ScriptText(id, "'x'.repeat(2e7)"), Start.Dispatch, OutputLimit),
        new("JavaScript 'x'.repeat(5e8) as a variable", id => PoisonFlowModels.ScriptVariable(id, "'x'.repeat(5e8)"), Start.Dispatch, OutputLimit),
        new("same, Studio test run (execute)", id => PoisonFlowModels.ScriptVariable(id, "'x'.repeat(5e8)"), Start.Execute, OutputLimit),
        new("JavaScript endless loop", id => PoisonFlowModels.ScriptText(id, "let i = 0; while (true) { i++; } i"), Start.Dispatch, "Workflows:Script"),
        new("state over the limit (5 x 900 KB variables)", id => PoisonFlowModels.ManyLargeVariables(id, 5, 900_000), Start.Dispatch, "Workflows:MaxStateBytes", WatchRetries: true),
        new("running instance: cancel, delete", PoisonFlowModels.Waiting, Start.Dispatch, null),
        new("running instance: delete", PoisonFlowModels.Waiting, Start.Dispatch, null, Follow.DeleteRunning),
    ];

    public static string MiB(long bytes) => $"{bytes / (1024.0 * 1024):N0} MiB";

    public static async Task<PoisonRunResult> RunAsync(PoisonOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var server = await ChildServer.StartAsync(options.ServerDll, options.Settings, options.StartTimeout, cancellationToken);
        var startUp = started.Elapsed;
        await progress.WriteLineAsync($"server pid {server.ProcessId} at {server.BaseAddress} (data {server.DataDirectory}), ready in {startUp.TotalSeconds:N1} s");
        await using var sampler = new HealthSampler(server, options.SampleInterval);
        using var client = server.CreateManagerClient(TimeSpan.FromMinutes(2));
        await Task.Delay(options.SampleInterval * 3, cancellationToken);
        var startResident = server.ResidentBytes() ?? 0;

        var results = new List<PoisonCaseResult>();
        foreach (var (poisonCase, index) in Cases.Select((poisonCase, index) => (poisonCase, index)))
        {
            var from = sampler.Now;
            var peakReset = server.ResetPeak();
            var failures = new List<string>();
            var (outcome, incident) = await RunCaseAsync(client, poisonCase, $"poison-{index + 1}", options, failures, cancellationToken);
            await Task.Delay(options.SampleInterval * 2, cancellationToken); // at least one memory sample and /alive probe after it
            var window = sampler.Window(from, sampler.Now);
            var peak = Math.Max(window.PeakResidentBytes, peakReset ? server.PeakResidentBytes() ?? 0 : 0);
            if (server.HasExited)
            {
                failures.Add("the server process exited");
            }

            if (peak >= ResidentTarget)
            {
                failures.Add($"peak RSS {MiB(peak)}");
            }

            if (window.MaxAliveLatency >= options.AliveTarget || window.AliveFailures > 0)
            {
                failures.Add($"/alive max {window.MaxAliveLatency.TotalMilliseconds:N0} ms, {window.AliveFailures} failed");
            }

            var result = new PoisonCaseResult(poisonCase.Name, outcome, incident, peak, window.MaxAliveLatency, window.AliveFailures, failures);
            results.Add(result);
            await progress.WriteLineAsync($"  {poisonCase.Name}: {outcome} | peak {MiB(peak)}, /alive max {window.MaxAliveLatency.TotalMilliseconds:N0} ms{(failures.Count > 0 ? " | MISSED: " + string.Join("; ", failures) : "")}");
        }

        // Memory given back: the server idles for a few samples after the last case.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var all = sampler.Window(TimeSpan.Zero, sampler.Now);
        var endResident = server.ResidentBytes() ?? 0;
        return new PoisonRunResult(results, startResident, Math.Max(all.PeakResidentBytes, results.Max(result => result.PeakResidentBytes)), endResident,
            all.MaxAliveLatency, all.AliveProbes, all.AliveFailures, startUp, started.Elapsed, options.AliveTarget);
    }

    private static async Task<(string Outcome, string Incident)> RunCaseAsync(HttpClient client, Case poisonCase, string definitionId, PoisonOptions options, List<string> failures, CancellationToken cancellationToken)
    {
        var save = await SendAsync(client, HttpMethod.Post, "elsa/api/workflow-definitions",
            new JsonObject { ["model"] = poisonCase.Flow(definitionId), ["publish"] = true }, failures, cancellationToken);
        if (!save.Response.IsSuccessStatusCode)
        {
            failures.Add($"save and publish answered {(int)save.Response.StatusCode}: {save.Body}");
            return ($"not published ({(int)save.Response.StatusCode})", "");
        }

        var starts = await Task.WhenAll(Enumerable.Range(0, options.InstancesPerCase).Select(_ => StartAsync(client, poisonCase.Start, definitionId, failures, cancellationToken)));
        var ids = starts.OfType<string>().ToList();
        var expected = poisonCase.Setting is null ? "Suspended" : "Faulted";
        var instances = await Task.WhenAll(ids.Select(id => WaitForAsync(client, id, expected, options.CaseTimeout, failures, cancellationToken)));
        var reached = instances.Count(instance => (string?)instance?["subStatus"] == expected);
        var parts = new List<string> { $"{expected} {reached}/{options.InstancesPerCase}" };
        if (reached < options.InstancesPerCase)
        {
            var others = instances.Select(instance => (string?)instance?["subStatus"] ?? "unknown").Where(status => status != expected);
            failures.Add($"expected {expected}, got {string.Join(", ", others)}");
        }

        var incident = "";
        if (poisonCase.Setting is not null)
        {
            var incidents = instances.Select(instance => instance?["workflowState"]?["incidents"] as JsonArray).ToList();
            incident = (string?)incidents.FirstOrDefault()?.FirstOrDefault()?["message"] ?? "";
            if (incidents.Any(list => list is not { Count: 1 }) || incidents.Any(list => !((string?)list?[0]?["message"] ?? "").Contains(poisonCase.Setting, StringComparison.Ordinal)))
            {
                failures.Add($"each instance should have one incident naming {poisonCase.Setting}");
            }
        }

        if (poisonCase.WatchRetries)
        {
            var before = instances.Select(instance => (string?)instance?["updatedAt"]).ToList();
            await Task.Delay(options.RetryWatch, cancellationToken);
            var after = await Task.WhenAll(ids.Select(id => GetAsync(client, id, failures, cancellationToken)));
            var retried = after.Where((instance, i) => (string?)instance?["updatedAt"] != before[i] || instance?["workflowState"]?["incidents"] is not JsonArray { Count: 1 }).Count();
            parts.Add(retried == 0 ? $"not retried in {options.RetryWatch.TotalSeconds:N0} s" : $"RETRIED {retried}");
            if (retried > 0)
            {
                failures.Add($"{retried} instances changed while faulted (retried)");
            }
        }

        var cancels = Array.Empty<Call>();
        if (poisonCase.Follow == Follow.CancelThenDelete)
        {
            cancels = await Task.WhenAll(ids.Select(id => SendAsync(client, HttpMethod.Post, $"elsa/api/cancel/workflow-instances/{id}", null, failures, cancellationToken)));
            var cancelled = await Task.WhenAll(ids.Select(id => GetAsync(client, id, failures, cancellationToken)));
            parts.Add($"cancel {Codes(cancels.Select(call => call.Response.StatusCode))} -> {Distinct(cancelled.Select(instance => (string?)instance?["subStatus"] ?? "gone"))}");
            if (cancels.Any(call => call.Response.StatusCode != HttpStatusCode.OK) || cancelled.Any(instance => (string?)instance?["subStatus"] != "Cancelled"))
            {
                failures.Add("cancel did not answer 200 and leave the instance Cancelled");
            }
        }

        var deletes = await Task.WhenAll(ids.Select(id => SendAsync(client, HttpMethod.Delete, $"elsa/api/workflow-instances/{id}", null, failures, cancellationToken)));
        var gone = await Task.WhenAll(ids.Select(id => SendAsync(client, HttpMethod.Get, $"elsa/api/workflow-instances/{id}", null, failures, cancellationToken)));
        parts.Add($"delete {Codes(deletes.Select(call => call.Response.StatusCode))}, then {Codes(gone.Select(call => call.Response.StatusCode))}");
        if (deletes.Any(call => call.Response.StatusCode != HttpStatusCode.NoContent) || gone.Any(call => call.Response.StatusCode != HttpStatusCode.NotFound))
        {
            failures.Add("delete did not answer 204 and remove the instance");
        }

        save.Response.Dispose();
        foreach (var call in deletes.Concat(gone).Concat(cancels))
        {
            call.Response.Dispose();
        }

        return (string.Join("; ", parts), incident);
    }

    private static async Task<string?> StartAsync(HttpClient client, Start start, string definitionId, List<string> failures, CancellationToken cancellationToken)
    {
        var path = $"elsa/api/workflow-definitions/{definitionId}/{(start == Start.Execute ? "execute" : "dispatch")}";
        var (response, body) = await SendAsync(client, HttpMethod.Post, path, new JsonObject { ["versionOptions"] = "Published" }, failures, cancellationToken);
        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                lock (failures)
                {
                    failures.Add($"{start} answered {(int)response.StatusCode}: {Shorten(body)}");
                }

                return null;
            }

            return start == Start.Execute
                ? response.Headers.GetValues("x-elsa-workflow-instance-id").Single()
                : (string?)JsonNode.Parse(body)?["workflowInstanceId"];
        }
    }

    private static async Task<JsonNode?> WaitForAsync(HttpClient client, string id, string expected, TimeSpan timeout, List<string> failures, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var instance = await GetAsync(client, id, failures, cancellationToken);
            var status = (string?)instance?["subStatus"];
            if (status == expected || status is "Finished" or "Cancelled" or "Faulted" || waited.Elapsed > timeout)
            {
                return instance;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<JsonNode?> GetAsync(HttpClient client, string id, List<string> failures, CancellationToken cancellationToken)
    {
        var (response, body) = await SendAsync(client, HttpMethod.Get, $"elsa/api/workflow-instances/{id}", null, failures, cancellationToken);
        using (response)
        {
            return response.IsSuccessStatusCode ? JsonNode.Parse(body) : null;
        }
    }

    /// <summary>Sends a request; any answer carrying a stack trace or a 500 is a failure of the case.</summary>
    private static async Task<Call> SendAsync(HttpClient client, HttpMethod method, string path, JsonNode? body, List<string> failures, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        var response = await client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (text.Contains("   at ", StringComparison.Ordinal) || (int)response.StatusCode >= 500)
        {
            lock (failures)
            {
                failures.Add($"{method} /{path} answered {(int)response.StatusCode}{(text.Contains("   at ", StringComparison.Ordinal) ? " with a stack trace" : "")}");
            }
        }

        return new Call(response, text);
    }

    private static string Codes(IEnumerable<HttpStatusCode> codes) =>
        string.Join(" ", codes.GroupBy(code => (int)code).Select(group => group.Count() == 1 ? group.Key.ToString(CultureInfo.InvariantCulture) : $"{group.Key} x{group.Count()}"));

    private static string Distinct(IEnumerable<string> values) =>
        string.Join(" ", values.GroupBy(value => value, StringComparer.Ordinal).Select(group => group.Count() == 1 ? group.Key : $"{group.Key} x{group.Count()}"));

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private sealed record Call(HttpResponseMessage Response, string Body);
}
