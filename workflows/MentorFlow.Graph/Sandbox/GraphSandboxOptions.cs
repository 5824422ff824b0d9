using Microsoft.Extensions.Options;

namespace MentorFlow.Graph.Sandbox;

/// <summary>Settings under <c>GraphSandbox</c>: where the embedded Graph v1.0 sandbox listens and what it emulates.</summary>
public sealed class GraphSandboxOptions
{
    public const string Section = "GraphSandbox";

    /// <summary>
    /// Whether this process hosts the sandbox. Unset: hosted in Sandbox mode without <c>Graph:BaseUrl</c>, not hosted
    /// in Tenant mode. <c>true</c> also hosts it in Tenant mode, where runs started from the designer send there;
    /// <c>false</c> never hosts it.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Interface to listen on (loopback by default).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>
    /// Host names (without port) the sandbox answers besides its own: its bound address and, when bound to loopback or
    /// to every interface, <c>localhost</c>, <c>127.0.0.1</c> and <c>[::1]</c>. Any other Host header gets 400 (DNS
    /// rebinding).
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>
    /// The bearer token <c>/v1.0</c> demands (<c>Authorization: Bearer …</c>, at least 32 characters). Unset: a random
    /// token per process, which the process's own Graph client sends. Set it to share one sandbox between replicas or
    /// tools (the AppHost generates one per run).
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>How long a manager's browser session on the sandbox's pages lasts.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The address people open the sandbox at when it is not this process's own (e.g. <c>http://localhost:5099</c>, the
    /// AppHost's one address in front of every replica's sandbox). Unset: the address this process listens on.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Port of the sandbox's own address (0 picks a free port).</summary>
    public int Port { get; set; } = 5099;

    /// <summary>Mailboxes that exist; empty means every well-formed address is a mailbox.</summary>
    public IList<string> Mailboxes { get; } = [];

    /// <summary>Throttling emulation: requests per mailbox per <see cref="ThrottleWindow"/>; 0 turns it off.</summary>
    public int ThrottleRequests { get; set; }

    public TimeSpan ThrottleWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Concurrent requests per mailbox before <c>429 MailboxConcurrency</c> (Graph: 4); 0 turns it off.</summary>
    public int MaxConcurrentPerMailbox { get; set; } = 4;

    /// <summary>Artificial service time of each request (holds its concurrency slot).</summary>
    public TimeSpan ResponseLatency { get; set; } = TimeSpan.Zero;

    /// <summary>Sent mail appears in Sent Items this long after the 202, like Exchange transport.</summary>
    public TimeSpan SentItemsDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Seed of the order in which <c>$batch</c> responses are returned (Graph returns them in any order).</summary>
    public int BatchOrderSeed { get; set; } = 7;
}

/// <summary>Checks the <c>GraphSandbox</c> section on start; every message names the setting.</summary>
public sealed class GraphSandboxOptionsValidator : IValidateOptions<GraphSandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphSandboxOptions options)
    {
        var failures = new List<string>();
        if (options.AccessToken is { Length: > 0 and < 32 })
        {
            failures.Add("GraphSandbox:AccessToken must be at least 32 characters (e.g. 'openssl rand -hex 32').");
        }

        for (var i = 0; i < options.AllowedHosts.Count; i++)
        {
            if (Uri.CheckHostName(options.AllowedHosts[i].Trim('[', ']')) == UriHostNameType.Unknown)
            {
                failures.Add($"GraphSandbox:AllowedHosts:{i} '{options.AllowedHosts[i]}' is not a host name (no scheme, no port).");
            }
        }

        if (options.SessionLifetime < TimeSpan.FromMinutes(1) || options.SessionLifetime > TimeSpan.FromDays(1))
        {
            failures.Add("GraphSandbox:SessionLifetime must be between 1 minute and 1 day.");
        }

        if (options.PublicUrl is { Length: > 0 } publicUrl
            && (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")
                || parsed.AbsolutePath != "/" || parsed.Query.Length > 0))
        {
            failures.Add($"GraphSandbox:PublicUrl '{publicUrl}' must be an http(s) origin such as http://localhost:5099 (no path).");
        }

        if (options.Port is < 0 or > 65_535)
        {
            failures.Add($"GraphSandbox:Port {options.Port} is not a port (0 picks a free one).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
