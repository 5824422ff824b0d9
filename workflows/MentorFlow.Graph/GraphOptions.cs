using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography.X509Certificates;
using MentorFlow.Graph.Model;
using Microsoft.Extensions.Options;

namespace MentorFlow.Graph;

/// <summary>Where Graph calls go: the embedded sandbox (default) or a real Microsoft 365 tenant.</summary>
public enum GraphMode
{
    Sandbox,
    Tenant,
}

/// <summary>Settings under <c>Graph</c>. Only the base URL and the credentials differ between sandbox and tenant.</summary>
public sealed class GraphOptions
{
    public const string Section = "Graph";
    public const string CloudBaseUrl = "https://graph.microsoft.com/v1.0";

    /// <summary>The organizer used in Sandbox mode when none is configured (Tenant mode requires one).</summary>
    public const string SandboxOrganizer = "programmes@sandbox.mentorflow.local";

    /// <summary><c>Sandbox</c> (default) or <c>Tenant</c>.</summary>
    [Required]
    public string Mode { get; set; } = nameof(GraphMode.Sandbox);

    /// <summary>The mailbox (UPN or object id) that organizes invites and sends mail (Sandbox mode: a default).</summary>
    public string? OrganizerMailbox { get; set; }

    /// <summary>Entra tenant id (Tenant mode).</summary>
    public string? TenantId { get; set; }

    /// <summary>App registration client id (Tenant mode).</summary>
    public string? ClientId { get; set; }

    /// <summary>Client secret (Tenant mode; or use a certificate).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Path of a PFX/PEM certificate with private key (Tenant mode; instead of a secret).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of the certificate file, when it has one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Base URL of Graph v1.0; empty means the cloud in Tenant mode and the embedded sandbox in Sandbox mode.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Pacing and retries of the outbox dispatcher.</summary>
    public GraphDispatcherOptions Dispatcher { get; set; } = new();

    public GraphMode ParsedMode =>
        Enum.TryParse<GraphMode>(Mode, ignoreCase: true, out var mode) ? mode : GraphMode.Sandbox;
}

/// <summary>Settings under <c>Graph:Dispatcher</c>; defaults stay under Graph's published per-mailbox limits.</summary>
public sealed class GraphDispatcherOptions
{
    /// <summary>Whether this process runs the outbox dispatcher.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests per mailbox per <see cref="Window"/> (Graph allows 10,000 per 10 minutes).</summary>
    [Range(1, 10_000)]
    public int RequestsPerWindow { get; set; } = 9_000;

    /// <summary>Length of the pacing window (Graph: 10 minutes).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Concurrent requests per mailbox (Graph allows 4).</summary>
    [Range(1, 4)]
    public int MaxConcurrentPerMailbox { get; set; } = 4;

    /// <summary>
    /// Server replicas sharing the outbox. Pacing is kept in each process, so each paces at its share of the limits:
    /// <see cref="RequestsPerWindow"/> / replicas and <see cref="MaxConcurrentPerMailbox"/> / replicas (at least 1).
    /// The AppHost sets it from <c>--replicas</c>.
    /// </summary>
    [Range(1, 64)]
    public int Replicas { get; set; } = 1;

    /// <summary>This process's share of <see cref="RequestsPerWindow"/>.</summary>
    public int RequestsPerWindowPerReplica => Math.Max(1, RequestsPerWindow / Math.Max(1, Replicas));

    /// <summary>This process's share of <see cref="MaxConcurrentPerMailbox"/> (at least 1).</summary>
    public int MaxConcurrentPerReplica => Math.Max(1, MaxConcurrentPerMailbox / Math.Max(1, Replicas));

    /// <summary>Requests per <c>$batch</c> (Graph allows 20).</summary>
    [Range(1, 20)]
    public int BatchSize { get; set; } = 20;

    /// <summary>Attempts before a message becomes an incident.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First backoff delay; doubles per attempt, with jitter.</summary>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest backoff delay.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Seed of the jitter (reproducible runs).</summary>
    public int JitterSeed { get; set; } = 17;

    /// <summary>How long a claimed row stays reserved for this process (a crashed process's rows come back after it).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Idle wait between polls when nothing is due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows claimed per round.</summary>
    [Range(1, 5_000)]
    public int ClaimSize { get; set; } = 400;

    /// <summary>
    /// Sent Items is written after sendMail's 202; a mail whose send outcome is unknown is looked up only this long
    /// after the attempt, so a send still in transport is not sent again.
    /// </summary>
    public TimeSpan MailReconcileDelay { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>Checks the <c>Graph</c> section on start; every message names the setting.</summary>
public sealed class GraphOptionsValidator : IValidateOptions<GraphOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphOptions options)
    {
        var failures = new List<string>();
        if (!Enum.TryParse<GraphMode>(options.Mode, ignoreCase: true, out var mode) || !Enum.IsDefined(mode)
            || int.TryParse(options.Mode, out _))
        {
            failures.Add($"Graph:Mode '{options.Mode}' is not supported; use 'Sandbox' or 'Tenant'.");
            return ValidateOptionsResult.Fail(failures);
        }

        if (string.IsNullOrWhiteSpace(options.OrganizerMailbox))
        {
            failures.Add("Graph:OrganizerMailbox is required (the mailbox that sends invites and mail).");
        }
        else if (!GraphRequestValidator.IsMailboxId(options.OrganizerMailbox))
        {
            failures.Add($"Graph:OrganizerMailbox '{options.OrganizerMailbox}' is neither an email address nor an object id.");
        }

        if (!string.IsNullOrWhiteSpace(options.BaseUrl)
            && (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var baseUri)
                || baseUri.AbsolutePath.TrimEnd('/') != "/v1.0"))
        {
            failures.Add($"Graph:BaseUrl '{options.BaseUrl}' must be an absolute URL whose path is exactly /v1.0.");
        }

        if (mode == GraphMode.Tenant)
        {
            if (!Guid.TryParse(options.TenantId, out _))
            {
                failures.Add("Graph:TenantId is required in Tenant mode and must be the directory (tenant) id, a GUID.");
            }

            if (!Guid.TryParse(options.ClientId, out _))
            {
                failures.Add("Graph:ClientId is required in Tenant mode and must be the application (client) id, a GUID.");
            }

            var hasSecret = !string.IsNullOrWhiteSpace(options.ClientSecret);
            var hasCertificate = !string.IsNullOrWhiteSpace(options.CertificatePath);
            if (hasSecret == hasCertificate)
            {
                failures.Add("Graph:ClientSecret or Graph:CertificatePath is required in Tenant mode (exactly one of them).");
            }
            else if (hasCertificate && !File.Exists(options.CertificatePath))
            {
                failures.Add($"Graph:CertificatePath '{options.CertificatePath}' does not exist.");
            }
            else if (hasCertificate)
            {
                try
                {
                    using var certificate = X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath!, options.CertificatePassword);
                    if (!certificate.HasPrivateKey)
                    {
                        failures.Add($"Graph:CertificatePath '{options.CertificatePath}' has no private key.");
                    }
                }
                catch (System.Security.Cryptography.CryptographicException exception)
                {
                    failures.Add($"Graph:CertificatePath '{options.CertificatePath}' cannot be read (Graph:CertificatePassword?): {exception.Message}");
                }
            }
        }

        var dispatcher = options.Dispatcher;
        if (dispatcher.Window <= TimeSpan.Zero)
        {
            failures.Add("Graph:Dispatcher:Window must be positive.");
        }

        if (mode == GraphMode.Tenant && dispatcher.Window > TimeSpan.Zero
            && dispatcher.RequestsPerWindow / dispatcher.Window.TotalMinutes > 1_000)
        {
            failures.Add("Graph:Dispatcher:RequestsPerWindow over Graph:Dispatcher:Window exceeds Graph's 10,000 requests per 10 minutes per mailbox.");
        }

        if (dispatcher.Replicas >= 1 && dispatcher.RequestsPerWindow / dispatcher.Replicas < dispatcher.BatchSize)
        {
            failures.Add($"Graph:Dispatcher:RequestsPerWindow ({dispatcher.RequestsPerWindow}) shared by Graph:Dispatcher:Replicas ({dispatcher.Replicas}) leaves each replica fewer requests per window than Graph:Dispatcher:BatchSize ({dispatcher.BatchSize}).");
        }

        if (dispatcher.BaseBackoff <= TimeSpan.Zero || dispatcher.MaxBackoff < dispatcher.BaseBackoff)
        {
            failures.Add("Graph:Dispatcher:BaseBackoff must be positive and not above Graph:Dispatcher:MaxBackoff.");
        }

        if (dispatcher.Lease < TimeSpan.FromSeconds(1) || dispatcher.PollInterval <= TimeSpan.Zero)
        {
            failures.Add("Graph:Dispatcher:Lease must be at least 1 second and Graph:Dispatcher:PollInterval positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
