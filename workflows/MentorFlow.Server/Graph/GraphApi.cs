using MentorFlow.Graph.Outbox;
using MentorFlow.Graph.Sandbox;
using MentorFlow.Server.Persistence;
using MentorFlow.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Server.Graph;

/// <summary>Manager endpoints of the Graph module: incidents (messages that failed for good), retry, message status.</summary>
public static class GraphApi
{
    public sealed record GraphMessageView(
        Guid Id,
        string IdempotencyKey,
        GraphMessageKind Kind,
        string Mailbox,
        GraphMessageStatus Status,
        int Attempts,
        string? Source,
        DateTimeOffset CreatedAt,
        DateTimeOffset? LastAttemptAt,
        DateTimeOffset? SentAt,
        string? EventId,
        string? ICalUId,
        int? GraphStatus,
        string? GraphErrorCode,
        string? GraphErrorMessage);

    public sealed record SandboxInfo(bool Hosted, string? MailboxViewUrl, string? GraphBaseUrl);

    /// <summary>Which mailbox to open (none: the list of mailboxes).</summary>
    public sealed record SandboxSessionRequest(string? Mailbox);

    /// <summary>POST <see cref="Ticket"/> as the form field <c>ticket</c> to <see cref="Url"/> within a minute.</summary>
    public sealed record SandboxSession(string Url, string Ticket, DateTimeOffset ExpiresAt);

    public static IEndpointRouteBuilder MapGraphApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/graph").WithTags("Graph").RequireAuthorization(ManagerAuthenticationExtensions.ManagerPolicy);
        group.MapGet("/incidents", ListIncidentsAsync).WithName("ListGraphIncidents");
        group.MapPost("/incidents/{id:guid}/retry", RetryAsync).WithName("RetryGraphIncident");
        group.MapGet("/messages/{key}", GetMessageAsync).WithName("GetGraphMessage");
        group.MapGet("/sandbox", GetSandbox).WithName("GetGraphSandbox");
        group.MapPost("/sandbox/session", OpenSandboxSession).WithName("OpenGraphSandboxSession")
            .WithDescription("A one-time ticket (60 s) that signs the manager's browser in to the sandbox's mailbox view: "
                + "POST it as the form field 'ticket' to the returned URL.");
        return app;
    }

    private static async Task<Ok<List<GraphMessageView>>> ListIncidentsAsync(
        IDbContextFactory<MentorFlowDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var failed = await db.Set<GraphOutboxMessage>().AsNoTracking()
            .Where(m => m.Status == GraphMessageStatus.Failed)
            .OrderBy(m => m.CreatedAt)
            .Take(1_000)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(failed.Select(View).ToList());
    }

    private static async Task<Results<Ok<GraphMessageView>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> RetryAsync(
        Guid id, IDbContextFactory<MentorFlowDbContext> contexts, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<GraphOutboxMessage>().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound(new ProblemDetails { Title = "No such Graph message.", Detail = $"id '{id}' is unknown.", Status = 404 });
        }

        if (row.Status != GraphMessageStatus.Failed)
        {
            return TypedResults.Conflict(new ProblemDetails
            {
                Title = "Only an incident can be retried.",
                Detail = $"The message is {row.Status}.",
                Status = 409,
            });
        }

        row.Status = GraphMessageStatus.Pending;
        row.Attempts = 0;
        row.NextAttemptAt = clock.GetUtcNow();
        row.LeaseOwner = null;
        row.LeaseUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(row));
    }

    private static async Task<Results<Ok<GraphMessageView>, NotFound<ProblemDetails>>> GetMessageAsync(
        string key, IDbContextFactory<MentorFlowDbContext> contexts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<GraphOutboxMessage>().AsNoTracking().FirstOrDefaultAsync(m => m.IdempotencyKey == key, cancellationToken);
        return row is null
            ? TypedResults.NotFound(new ProblemDetails { Title = "No such Graph message.", Detail = $"key '{key}' is unknown.", Status = 404 })
            : TypedResults.Ok(View(row));
    }

    private static Ok<SandboxInfo> GetSandbox(IServiceProvider services)
    {
        var host = services.GetService<GraphSandboxHost>();
        return TypedResults.Ok(host?.PublicOrigin is { } origin
            ? new SandboxInfo(true, origin.ToString(), new Uri(origin, "v1.0").ToString())
            : new SandboxInfo(false, null, null));
    }

    private static Results<Ok<SandboxSession>, NotFound<ProblemDetails>, ValidationProblem> OpenSandboxSession(
        SandboxSessionRequest? request, IServiceProvider services, TimeProvider clock)
    {
        if (services.GetService<GraphSandboxHost>() is not { PublicOrigin: { } origin } host)
        {
            return TypedResults.NotFound(new ProblemDetails
            {
                Title = "No Graph sandbox is hosted here.",
                Detail = "GraphSandbox:Enabled is false, Graph:Mode is Tenant without GraphSandbox:Enabled=true, or Graph:BaseUrl points elsewhere.",
                Status = 404,
            });
        }

        var mailbox = request?.Mailbox?.Trim();
        if (mailbox is { Length: > 320 } || (mailbox is { Length: > 0 } && mailbox.Any(char.IsControl)))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["mailbox"] = ["A mailbox is an address of at most 320 characters."],
            });
        }

        var path = string.IsNullOrEmpty(mailbox) ? "/" : "/mailbox/" + Uri.EscapeDataString(mailbox);
        return TypedResults.Ok(new SandboxSession(new Uri(origin, "sandbox/session").ToString(), host.Access.IssueTicket(path),
            clock.GetUtcNow() + SandboxAccess.TicketLifetime));
    }

    private static GraphMessageView View(GraphOutboxMessage m) => new(
        m.Id, m.IdempotencyKey, m.Kind, m.Mailbox, m.Status, m.Attempts, m.Source, m.CreatedAt, m.LastAttemptAt, m.SentAt,
        m.EventId, m.ICalUId, m.LastStatusCode, m.LastErrorCode, m.LastErrorMessage);
}
