namespace MentorFlow.Workflows.Activities.Http;

/// <summary>
/// Where flows may send HTTP requests (section <c>Workflows:Http</c>). Nothing is allowed until hosts are listed; private,
/// loopback and link-local addresses stay refused unless <see cref="AllowPrivateNetworks"/> is set, whatever the
/// host name resolves to (checked on the address actually connected to).
/// </summary>
public sealed class OutboundHttpOptions
{
    /// <summary>Host names flows may call: <c>api.example.org</c>, or <c>*.example.org</c> for its subdomains.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Allow addresses in private, loopback, link-local and carrier-grade NAT ranges (off by default).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Longest a request may take, connection included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest response body read (bytes); a larger one is an incident.</summary>
    public long MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest request body sent (bytes).</summary>
    public long MaxRequestBytes { get; set; } = 1024 * 1024;
}
