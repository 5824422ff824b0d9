using System.Text.Json.Nodes;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Graph.Outbox;

/// <summary>What <see cref="GraphOutboxRedaction.RedactAsync"/> did to <c>graph_outbox</c>.</summary>
/// <param name="Cancelled">Unsent rows marked <see cref="GraphMessageStatus.Cancelled"/> (never sent).</param>
/// <param name="RecipientRemoved">Unsent rows that still go to their other recipients, without the person.</param>
/// <param name="Redacted">Rows whose payload, keys or error text were redacted.</param>
/// <param name="EventsCancelled">Cancellations queued for the invites that stopped flows had sent.</param>
public sealed record OutboxRedactionResult(int Cancelled, int RecipientRemoved, int Redacted, int EventsCancelled);

/// <summary>
/// Removes a person from the Graph outbox inside the caller's transaction (the caller's <see cref="DbContext"/>
/// includes <see cref="GraphModel"/>). Unsent rows to them alone, and every unsent row of a stopped flow, are marked
/// <see cref="GraphMessageStatus.Cancelled"/> and never sent; an unsent row with other recipients goes to those
/// without the person. Every row that mentions them (sent, failed or cancelled) has its payload, idempotency key,
/// target key and error text redacted: addresses become the pseudonym, names and texts the marker, and a mail sent to
/// them alone loses its subject and body. Keys keep their shape and stay unique (the pseudonym is a hash of the
/// address), so the dispatcher's exactly-once lookups and the links between an invite and its updates still hold.
/// Invites already sent by a stopped flow get a queued cancellation, as a closing pair's flows would send.
/// </summary>
public static class GraphOutboxRedaction
{
    /// <summary>The <see cref="GraphOutboxMessage.LastErrorCode"/> of rows cancelled by an erasure.</summary>
    public const string ErasedCode = "ParticipantErased";

    public static async Task<OutboxRedactionResult> RedactAsync(
        DbContext db,
        Redaction redaction,
        IReadOnlyCollection<string> addresses,
        IReadOnlyCollection<string> stoppedInstanceIds,
        string pseudonym,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var outbox = db.Set<GraphOutboxMessage>();
        var rows = new Dictionary<Guid, GraphOutboxMessage>();
        if (!redaction.IsEmpty)
        {
            foreach (var row in await outbox.Where(redaction.MentionedInAny<GraphOutboxMessage>(
                             m => m.Payload, m => m.IdempotencyKey, m => m.TargetKey, m => m.LastErrorMessage)).ToListAsync(cancellationToken))
            {
                rows[row.Id] = row;
            }
        }

        // Rows of a stopped flow: their keys start with the instance id (instance:activity:iteration).
        var stoppedRows = new HashSet<Guid>();
        foreach (var instanceId in stoppedInstanceIds)
        {
            var prefix = instanceId + ":";
            foreach (var row in await outbox.Where(m => m.IdempotencyKey.StartsWith(prefix)).ToListAsync(cancellationToken))
            {
                rows.TryAdd(row.Id, row);
                stoppedRows.Add(rows[row.Id].Id);
            }
        }

        var people = addresses.Select(a => a.Trim()).Where(a => a.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
        int cancelled = 0, removed = 0, redacted = 0, eventsCancelled = 0;
        var toCancelEvents = new List<GraphOutboxMessage>();
        foreach (var row in rows.Values.OrderBy(r => r.CreatedAt))
        {
            var payload = Parse(row.Payload);
            var contacts = Contacts(payload).ToList();
            var theirs = contacts.Count(c => IsPerson(c, people));
            var onlyThem = contacts.Count > 0 && theirs == contacts.Count;
            if (row.Status == GraphMessageStatus.Pending && (stoppedRows.Contains(row.Id) || onlyThem))
            {
                row.Status = GraphMessageStatus.Cancelled;
                row.LastErrorCode = ErasedCode;
                row.LastErrorMessage = "Not sent: a participant was erased.";
                cancelled++;
            }
            else if (row.Status == GraphMessageStatus.Pending && theirs > 0 && payload is not null)
            {
                RemovePeople(payload, people);
                removed++;
            }
            else if (row.Status == GraphMessageStatus.Sent && stoppedRows.Contains(row.Id)
                     && row.Kind is GraphMessageKind.CreateEvent or GraphMessageKind.CreateSeries && row.EventId is not null)
            {
                toCancelEvents.Add(row);
            }

            if (payload is not null && onlyThem && row.Kind == GraphMessageKind.SendMail)
            {
                payload["subject"] = Redaction.Marker;
                payload["htmlBody"] = Redaction.Marker;
            }

            var scrubbed = payload is null ? redaction.ScrubJson(row.Payload)! : redaction.ScrubNode(payload)!.ToJsonString(GraphOutboxMessages.Json);
            var key = redaction.Scrub(row.IdempotencyKey)!;
            var target = redaction.Scrub(row.TargetKey);
            var error = redaction.Scrub(row.LastErrorMessage);
            if (scrubbed != row.Payload || key != row.IdempotencyKey || target != row.TargetKey || error != row.LastErrorMessage)
            {
                row.Payload = scrubbed;
                row.IdempotencyKey = key;
                row.TargetKey = target;
                row.LastErrorMessage = error;
                redacted++;
            }
        }

        foreach (var created in toCancelEvents)
        {
            var key = created.IdempotencyKey;
            var eventId = created.EventId;
            var alreadyCancelled = await outbox.AnyAsync(m => m.Kind == GraphMessageKind.CancelEvent && m.Status != GraphMessageStatus.Failed
                && (m.TargetKey == key || m.TargetEventId == eventId), cancellationToken);
            var cancelKey = $"erase:{pseudonym}:{created.Id:N}";
            if (alreadyCancelled || await outbox.AnyAsync(m => m.IdempotencyKey == cancelKey, cancellationToken))
            {
                continue;
            }

            var cancel = GraphOutboxMessages.Cancel(cancelKey, created.Mailbox, null, eventId, "This meeting is cancelled.", now, "participant erasure");
            cancel.SandboxOnly = created.SandboxOnly;
            outbox.Add(cancel);
            eventsCancelled++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return new OutboxRedactionResult(cancelled, removed, redacted, eventsCancelled);
    }

    private static JsonObject? Parse(string payload)
    {
        try
        {
            return JsonNode.Parse(payload) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The people a payload is sent to: mail To/Cc, invite and update attendees, a series' first occurrence's attendees.</summary>
    private static IEnumerable<JsonObject> Contacts(JsonObject? payload)
    {
        if (payload is null)
        {
            yield break;
        }

        foreach (var list in Lists(payload))
        {
            foreach (var contact in list.OfType<JsonObject>())
            {
                yield return contact;
            }
        }
    }

    private static IEnumerable<JsonArray> Lists(JsonObject payload)
    {
        foreach (var name in new[] { "to", "cc", "attendees" })
        {
            if (payload[name] is JsonArray list)
            {
                yield return list;
            }
        }

        if (payload["firstOccurrence"] is JsonObject first && first["attendees"] is JsonArray attendees)
        {
            yield return attendees;
        }
    }

    private static bool IsPerson(JsonObject contact, HashSet<string> people) =>
        contact["email"] is JsonValue value && value.TryGetValue<string>(out var email) && people.Contains(email.Trim());

    private static void RemovePeople(JsonObject payload, HashSet<string> people)
    {
        foreach (var list in Lists(payload).ToList())
        {
            foreach (var contact in list.OfType<JsonObject>().Where(c => IsPerson(c, people)).ToList())
            {
                list.Remove(contact);
            }
        }

        // A mail whose only To was the person goes to its Cc recipients instead (a mail needs a To).
        if (payload["to"] is JsonArray { Count: 0 } to && payload["cc"] is JsonArray { Count: > 0 } cc)
        {
            foreach (var contact in cc.ToList())
            {
                cc.Remove(contact);
                to.Add(contact);
            }
        }
    }
}
