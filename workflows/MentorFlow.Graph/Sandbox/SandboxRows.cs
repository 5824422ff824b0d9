namespace MentorFlow.Graph.Sandbox;

/// <summary>
/// An event of the sandbox as stored (<c>graph_sandbox_events</c>): the organizer's mailbox (lower case), the
/// client's transactionId (unique per mailbox), the change number (the concurrency token of updates) and the event as
/// JSON.
/// </summary>
public sealed class SandboxEventRow
{
    public required string Id { get; init; }
    public required string Mailbox { get; init; }
    public string? TransactionId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public int ChangeNumber { get; set; }
    public required string Document { get; set; }
}

/// <summary>A mail the sandbox accepted (<c>graph_sandbox_messages</c>): sender (lower case), times and the mail as JSON.</summary>
public sealed class SandboxMessageRow
{
    public required string Id { get; init; }
    public required string Sender { get; init; }
    public required DateTimeOffset SentAt { get; init; }

    /// <summary>When it shows in the sender's Sent Items; <see cref="DateTimeOffset.MaxValue"/> when not saved there.</summary>
    public required DateTimeOffset VisibleAt { get; init; }

    public required string Document { get; set; }
}

/// <summary>
/// What an event or mail can be found by (<c>graph_sandbox_terms</c>): <c>a:{address}</c> for each person on it
/// (organizer, attendees, sender, recipients) and <c>p:{hash}</c> for each single-value extended property.
/// </summary>
public sealed class SandboxTermRow
{
    public required string ItemId { get; init; }
    public required string Term { get; init; }
}

/// <summary>A redeemed sign-in ticket (<c>graph_sandbox_tickets</c>), so each is used once across every replica.</summary>
public sealed class SandboxTicketRow
{
    public required string Nonce { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}
