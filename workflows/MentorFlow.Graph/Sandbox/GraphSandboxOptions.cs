namespace MentorFlow.Graph.Sandbox;

/// <summary>Settings under <c>GraphSandbox</c>: where the embedded Graph v1.0 sandbox listens and what it emulates.</summary>
public sealed class GraphSandboxOptions
{
    public const string Section = "GraphSandbox";

    /// <summary>
    /// Host the sandbox in this process when <c>Graph:Mode</c> is Sandbox and no <c>Graph:BaseUrl</c> is set, and in
    /// Tenant mode (test runs go there).
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Interface to listen on (loopback by default: the sandbox has no authentication).</summary>
    public string Host { get; set; } = "127.0.0.1";

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
