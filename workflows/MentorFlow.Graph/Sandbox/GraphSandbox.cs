using System.Globalization;
using System.Text.Json.Nodes;
using MentorFlow.Graph.Model;
using Microsoft.Extensions.Options;
using static MentorFlow.Graph.Sandbox.SandboxJson;

namespace MentorFlow.Graph.Sandbox;

/// <summary>
/// The embedded Graph v1.0 sandbox: the subset MentorFlow calls (events POST/GET/PATCH/DELETE/cancel, calendarView,
/// sendMail, Sent Items lookup, <c>$batch</c>), validated like Graph with Graph's error body, honouring
/// <c>transactionId</c>, storing everything it accepts in the product's database (<see cref="SandboxStore"/>), with optional throttling emulation and fault injection
/// (<see cref="Limits"/>). Transport-free: <see cref="HandleAsync"/> takes a request below <c>/v1.0</c>; the HTTP
/// endpoint maps onto it. The handlers are in <c>GraphSandbox.Events.cs</c>, <c>GraphSandbox.Mail.cs</c> and
/// <c>GraphSandbox.Batch.cs</c>; Graph's JSON in <see cref="SandboxJson"/>.
/// </summary>
public sealed partial class GraphSandbox(IOptions<GraphSandboxOptions> options, TimeProvider clock, SandboxStore store)
{
    private long _requests;
    private long _duplicateTransactions;

    public GraphSandboxOptions Options => options.Value;

    /// <summary>Events and mail, in the product's database (shared by every replica on it).</summary>
    public SandboxStore Store => store;

    /// <summary>Throttling emulation, concurrency limit and injected faults (per process).</summary>
    public SandboxLimits Limits { get; } = new(options.Value, clock);

    /// <summary>Requests handled (inner <c>$batch</c> requests counted one by one).</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    /// <summary>Requests answered 429 by the throttling emulation.</summary>
    public long ThrottledCount => Limits.ThrottledCount;

    /// <summary>Creates refused because their transactionId was used already.</summary>
    public long DuplicateTransactionCount => Interlocked.Read(ref _duplicateTransactions);

    /// <summary>The highest number of requests seen in flight at once for a mailbox.</summary>
    public int PeakConcurrency(string mailbox) => Limits.PeakConcurrency(mailbox);

    public void InjectFault(SandboxFault fault) => Limits.InjectFault(fault);

    public async Task<SandboxResponse> HandleAsync(SandboxRequest request, CancellationToken cancellationToken = default)
    {
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (segments is ["$batch"])
        {
            return string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase)
                ? await BatchAsync(request, cancellationToken)
                : Error(request, 405, "Request_BadRequest", "The $batch endpoint accepts POST only.");
        }

        if (segments.Length < 3 || !string.Equals(segments[0], "users", StringComparison.OrdinalIgnoreCase))
        {
            return Error(request, 400, "BadRequest", $"Resource not found for the segment '{segments.FirstOrDefault() ?? string.Empty}'.");
        }

        Interlocked.Increment(ref _requests);
        var mailbox = segments[1];
        if (!MailboxExists(mailbox))
        {
            return Error(request, 404, "ErrorInvalidUser", $"The requested user '{mailbox}' is invalid.");
        }

        var fault = Limits.TakeFault(mailbox);
        if (fault is { AfterExecution: false })
        {
            return Error(request, fault.Status, fault.Code, fault.Message, fault.RetryAfterSeconds);
        }

        if (Limits.Throttle(mailbox) is { } retryAfter)
        {
            return Error(request, 429, "TooManyRequests", "Please retry again later.", retryAfter);
        }

        using var slot = Limits.Enter(mailbox);
        if (slot.Refused)
        {
            return Error(request, 429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", 1);
        }

        if (options.Value.ResponseLatency > TimeSpan.Zero)
        {
            await Task.Delay(options.Value.ResponseLatency, clock, cancellationToken);
        }

        var response = await RouteAsync(request, mailbox, segments[2..], cancellationToken);
        return fault is null ? response : Error(request, fault.Status, fault.Code, fault.Message, fault.RetryAfterSeconds);
    }

    private bool MailboxExists(string mailbox) =>
        options.Value.Mailboxes.Count == 0
            ? GraphRequestValidator.IsMailboxId(mailbox)
            : options.Value.Mailboxes.Any(m => Same(m, mailbox));

    private static bool Is(string segment, string name) => string.Equals(segment, name, StringComparison.OrdinalIgnoreCase);

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string NewId(string prefix) =>
        prefix + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private SandboxResponse NotFound(SandboxRequest request) =>
        Error(request, 404, "ErrorItemNotFound", "The specified object was not found in the store.");

    private SandboxResponse Error(SandboxRequest request, SandboxProblem problem) =>
        Error(request, problem.Status, problem.Code, problem.Message, problem.RetryAfterSeconds);

    private SandboxResponse Error(SandboxRequest request, int status, string code, string message, int? retryAfterSeconds = null)
    {
        var requestId = Guid.NewGuid().ToString();
        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject
                {
                    ["date"] = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                    ["request-id"] = requestId,
                    ["client-request-id"] = request.ClientRequestId ?? requestId,
                },
            },
        };
        var headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" };
        if (retryAfterSeconds is { } seconds)
        {
            headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return new SandboxResponse(status, Json(status, body).Body, headers);
    }
}
