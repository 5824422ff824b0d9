using System.Text.Json;
using System.Text.Json.Serialization;
using MentorFlow.Graph.Model;

namespace MentorFlow.Graph.Outbox;

public enum GraphMessageKind
{
    CreateEvent,
    CreateSeries,
    UpdateEvent,
    CancelEvent,
    SendMail,
}

public enum GraphMessageStatus
{
    /// <summary>Waiting to be sent (or to be retried at <see cref="GraphOutboxMessage.NextAttemptAt"/>).</summary>
    Pending,

    /// <summary>Graph accepted it; for events the ids are stored.</summary>
    Sent,

    /// <summary>It failed for good: an incident the manager sees, with Graph's error.</summary>
    Failed,

    /// <summary>Never to be sent: withdrawn before sending (e.g. its recipient was erased).</summary>
    Cancelled,
}

/// <summary>
/// One Graph call to make exactly once (table <c>graph_outbox</c>). Written in the same transaction as the workflow
/// state that decided it; <see cref="IdempotencyKey"/> is unique, so a replayed workflow step cannot queue it twice.
/// </summary>
public sealed class GraphOutboxMessage
{
    public Guid Id { get; set; }

    /// <summary>Stable per workflow instance, activity and iteration; also the Graph transactionId seed and mail header.</summary>
    public required string IdempotencyKey { get; set; }

    public GraphMessageKind Kind { get; set; }

    /// <summary>The organizer mailbox the call goes to.</summary>
    public required string Mailbox { get; set; }

    /// <summary>The request as JSON (<see cref="InviteRequest"/>, <see cref="SeriesRequest"/>, ...).</summary>
    public required string Payload { get; set; }

    /// <summary>For updates and cancellations: the idempotency key of the message that created the event.</summary>
    public string? TargetKey { get; set; }

    /// <summary>For updates and cancellations: the Graph event id (given, or resolved from <see cref="TargetKey"/>).</summary>
    public string? TargetEventId { get; set; }

    /// <summary>Who asked for it (e.g. workflow instance and activity), shown with incidents.</summary>
    public string? Source { get; set; }

    /// <summary>
    /// Queued by a test run (started from the designer): sent to the embedded Graph sandbox even in Tenant mode.
    /// </summary>
    public bool SandboxOnly { get; set; }

    public GraphMessageStatus Status { get; set; }

    /// <summary>Attempts that reached Graph (throttled attempts are not counted).</summary>
    public int Attempts { get; set; }

    /// <summary>The last attempt may have been executed (timeout, 5xx, crash): look it up before sending again.</summary>
    public bool OutcomeUnknown { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>The created (or changed) event's Graph id, kept so later steps can update or cancel it.</summary>
    public string? EventId { get; set; }

    public string? ICalUId { get; set; }

    public string? WebLink { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastErrorCode { get; set; }

    public string? LastErrorMessage { get; set; }
}

/// <summary>
/// Builds validated outbox rows. Validation happens here, before anything is stored or sent: a bad request throws
/// <see cref="GraphValidationException"/> naming the field.
/// </summary>
public static class GraphOutboxMessages
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static GraphOutboxMessage Invite(string idempotencyKey, string? mailbox, InviteRequest invite, DateTimeOffset now, string? source = null)
    {
        GraphValidationException.ThrowIfInvalid(GraphRequestValidator.Validate(mailbox, invite));
        return New(idempotencyKey, GraphMessageKind.CreateEvent, mailbox!, JsonSerializer.Serialize(invite, Json), now, source);
    }

    public static GraphOutboxMessage Series(string idempotencyKey, string? mailbox, SeriesRequest series, DateTimeOffset now, string? source = null)
    {
        GraphValidationException.ThrowIfInvalid(GraphRequestValidator.Validate(mailbox, series));
        return New(idempotencyKey, GraphMessageKind.CreateSeries, mailbox!, JsonSerializer.Serialize(series, Json), now, source);
    }

    /// <summary>An update of the event created by <paramref name="targetKey"/> (or with <paramref name="targetEventId"/>).</summary>
    public static GraphOutboxMessage Update(
        string idempotencyKey, string? mailbox, string? targetKey, string? targetEventId, InviteUpdate update, DateTimeOffset now, string? source = null)
    {
        var errors = GraphRequestValidator.Validate(mailbox, update).ToDictionary();
        CheckTarget(errors, targetKey, targetEventId);
        GraphValidationException.ThrowIfInvalid(errors);
        var message = New(idempotencyKey, GraphMessageKind.UpdateEvent, mailbox!, JsonSerializer.Serialize(update, Json), now, source);
        message.TargetKey = targetKey;
        message.TargetEventId = targetEventId;
        return message;
    }

    public static GraphOutboxMessage Cancel(
        string idempotencyKey, string? mailbox, string? targetKey, string? targetEventId, string? comment, DateTimeOffset now, string? source = null)
    {
        var errors = GraphRequestValidator.ValidateMailbox(mailbox).ToDictionary();
        CheckTarget(errors, targetKey, targetEventId);
        GraphValidationException.ThrowIfInvalid(errors);
        var message = New(idempotencyKey, GraphMessageKind.CancelEvent, mailbox!, JsonSerializer.Serialize(new CancelPayload(comment), Json), now, source);
        message.TargetKey = targetKey;
        message.TargetEventId = targetEventId;
        return message;
    }

    public static GraphOutboxMessage Mail(string idempotencyKey, string? mailbox, MailRequest mail, DateTimeOffset now, string? source = null)
    {
        GraphValidationException.ThrowIfInvalid(GraphRequestValidator.Validate(mailbox, mail));
        return New(idempotencyKey, GraphMessageKind.SendMail, mailbox!, JsonSerializer.Serialize(mail, Json), now, source);
    }

    internal static T Read<T>(GraphOutboxMessage message) => Read<T>(message.Payload, message.IdempotencyKey);

    internal static T Read<T>(string payload, string key) =>
        JsonSerializer.Deserialize<T>(payload, Json)
        ?? throw new InvalidOperationException($"Outbox message {key} has an empty payload.");

    private static void CheckTarget(Dictionary<string, string[]> errors, string? targetKey, string? targetEventId)
    {
        if (string.IsNullOrWhiteSpace(targetKey) && string.IsNullOrWhiteSpace(targetEventId))
        {
            errors["inviteKey"] = ["Name the invite to change: the key of the step that created it, or its Graph event id."];
        }
    }

    private static GraphOutboxMessage New(string key, GraphMessageKind kind, string mailbox, string payload, DateTimeOffset now, string? source)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 400)
        {
            throw new GraphValidationException(new Dictionary<string, string[]>
            {
                ["idempotencyKey"] = ["An idempotency key of 1 to 400 characters is required."],
            });
        }

        return new GraphOutboxMessage
        {
            Id = Guid.CreateVersion7(now),
            IdempotencyKey = key,
            Kind = kind,
            Mailbox = mailbox.Trim(),
            Payload = payload,
            Source = source,
            Status = GraphMessageStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }

    internal sealed record CancelPayload(string? Comment);
}
