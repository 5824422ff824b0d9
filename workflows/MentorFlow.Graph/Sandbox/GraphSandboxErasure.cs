using MentorFlow.Workflows.Persistence;
using static MentorFlow.Graph.Sandbox.SandboxJson;

namespace MentorFlow.Graph.Sandbox;

/// <summary>What <see cref="GraphSandbox.ForgetAsync"/> removed.</summary>
public sealed record SandboxForgetResult(int MessagesRemoved, int MessagesEdited, int EventsRemoved, int EventsEdited);

public sealed partial class GraphSandbox
{
    /// <summary>
    /// Forgets a person (an erased participant): mail they sent or that went to them alone is removed; from a mail
    /// to several people and from invites they attend they are removed as a recipient or attendee; events organized
    /// from their own mailbox are removed. The remaining mail and events have the person's values (name, address,
    /// texts) replaced by <paramref name="redaction"/> in subject, body, headers and properties. The stored rows
    /// (and their lookup terms) are rewritten in one transaction, so every replica stops showing the person at once.
    /// </summary>
    public async Task<SandboxForgetResult> ForgetAsync(IReadOnlyCollection<string> addresses, Redaction redaction, CancellationToken cancellationToken = default)
    {
        var people = addresses.Select(a => a.Trim()).Where(a => a.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
        bool Theirs(SandboxAttendee attendee) => people.Contains(attendee.Address.Trim());
        var (messagesRemoved, messagesEdited, eventsRemoved, eventsEdited) = await store.RewriteAllAsync(
            item => ForgetInEvent(item, people, Theirs, redaction),
            message => ForgetInMessage(message, people, Theirs, redaction),
            cancellationToken);
        return new SandboxForgetResult(messagesRemoved, messagesEdited, eventsRemoved, eventsEdited);
    }

    private static SandboxMessage? ForgetInMessage(SandboxMessage message, HashSet<string> people, Func<SandboxAttendee, bool> theirs, Redaction redaction)
    {
        var recipients = message.To.Concat(message.Cc).Concat(message.Bcc).ToList();
        if (people.Contains(message.Sender.Trim()) || (recipients.Count > 0 && recipients.All(theirs)))
        {
            return null;
        }

        var mentions = recipients.Any(theirs) || message.ReplyTo.Any(theirs) || redaction.Mentions(message.Subject) || redaction.Mentions(message.BodyContent)
            || message.Headers.Values.Any(redaction.Mentions) || message.ExtendedProperties.Values.Any(redaction.Mentions);
        if (!mentions)
        {
            return message;
        }

        return new SandboxMessage
        {
            Id = message.Id,
            InternetMessageId = message.InternetMessageId,
            Sender = message.Sender,
            SentAt = message.SentAt,
            VisibleInSentItemsAt = message.VisibleInSentItemsAt,
            Subject = redaction.Scrub(message.Subject)!,
            BodyContentType = message.BodyContentType,
            BodyContent = redaction.Scrub(message.BodyContent)!,
            To = [.. message.To.Where(a => !theirs(a))],
            Cc = [.. message.Cc.Where(a => !theirs(a))],
            Bcc = [.. message.Bcc.Where(a => !theirs(a))],
            ReplyTo = [.. message.ReplyTo.Where(a => !theirs(a))],
            Headers = message.Headers.ToDictionary(h => h.Key, h => redaction.Scrub(h.Value)!, StringComparer.OrdinalIgnoreCase),
            ExtendedProperties = message.ExtendedProperties.ToDictionary(p => p.Key, p => redaction.Scrub(p.Value)!, StringComparer.OrdinalIgnoreCase),
        };
    }

    private static SandboxEvent? ForgetInEvent(SandboxEvent item, HashSet<string> people, Func<SandboxAttendee, bool> theirs, Redaction redaction)
    {
        if (people.Contains(item.Mailbox.Trim()))
        {
            return null;
        }

        var attends = item.Attendees.Any(theirs);
        var mentions = attends || redaction.Mentions(item.Subject) || redaction.Mentions(item.BodyContent) || redaction.Mentions(item.Location)
            || redaction.Mentions(item.CancellationComment) || item.ExtendedProperties.Values.Any(redaction.Mentions);
        if (!mentions)
        {
            return item;
        }

        var copy = Clone(item);
        // The event stays in the organizer's calendar (its other attendees keep it, and a queued cancellation
        // still finds it); the person is no longer on it.
        copy.Attendees.RemoveAll(a => theirs(a));
        copy.Subject = redaction.Scrub(item.Subject)!;
        copy.BodyContent = redaction.Scrub(item.BodyContent)!;
        copy.Location = redaction.Scrub(item.Location);
        copy.CancellationComment = redaction.Scrub(item.CancellationComment);
        foreach (var key in copy.ExtendedProperties.Keys.ToList())
        {
            copy.ExtendedProperties[key] = redaction.Scrub(copy.ExtendedProperties[key])!;
        }

        return copy;
    }
}
