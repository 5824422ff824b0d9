using MentorFlow.Workflows.Persistence;

namespace MentorFlow.Graph.Sandbox;

/// <summary>What <see cref="GraphSandbox.Forget"/> removed.</summary>
public sealed record SandboxForgetResult(int MessagesRemoved, int MessagesEdited, int EventsRemoved, int EventsEdited);

public sealed partial class GraphSandbox
{
    /// <summary>
    /// Forgets a person (an erased participant): mail they sent or that went to them alone is removed; from a mail
    /// to several people and from invites they attend they are removed as a recipient or attendee; events organized
    /// from their own mailbox are removed. The remaining mail and events have the person's values (name, address,
    /// texts) replaced by <paramref name="redaction"/> in subject, body, headers and properties.
    /// </summary>
    public SandboxForgetResult Forget(IReadOnlyCollection<string> addresses, Redaction redaction)
    {
        var people = addresses.Select(a => a.Trim()).Where(a => a.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
        bool Theirs(SandboxAttendee attendee) => people.Contains(attendee.Address.Trim());
        int messagesRemoved = 0, messagesEdited = 0, eventsRemoved = 0, eventsEdited = 0;
        lock (_gate)
        {
            for (var i = _messages.Count - 1; i >= 0; i--)
            {
                var message = _messages[i];
                var recipients = message.To.Concat(message.Cc).Concat(message.Bcc).ToList();
                if (people.Contains(message.Sender.Trim()) || (recipients.Count > 0 && recipients.All(Theirs)))
                {
                    _messages.RemoveAt(i);
                    messagesRemoved++;
                    continue;
                }

                var mentions = recipients.Any(Theirs) || message.ReplyTo.Any(Theirs) || redaction.Mentions(message.Subject) || redaction.Mentions(message.BodyContent)
                    || message.Headers.Values.Any(redaction.Mentions) || message.ExtendedProperties.Values.Any(redaction.Mentions);
                if (!mentions)
                {
                    continue;
                }

                _messages[i] = new SandboxMessage
                {
                    Id = message.Id,
                    InternetMessageId = message.InternetMessageId,
                    Sender = message.Sender,
                    SentAt = message.SentAt,
                    VisibleInSentItemsAt = message.VisibleInSentItemsAt,
                    Subject = redaction.Scrub(message.Subject)!,
                    BodyContentType = message.BodyContentType,
                    BodyContent = redaction.Scrub(message.BodyContent)!,
                    To = [.. message.To.Where(a => !Theirs(a))],
                    Cc = [.. message.Cc.Where(a => !Theirs(a))],
                    Bcc = [.. message.Bcc.Where(a => !Theirs(a))],
                    ReplyTo = [.. message.ReplyTo.Where(a => !Theirs(a))],
                    Headers = message.Headers.ToDictionary(h => h.Key, h => redaction.Scrub(h.Value)!, StringComparer.OrdinalIgnoreCase),
                    ExtendedProperties = message.ExtendedProperties.ToDictionary(p => p.Key, p => redaction.Scrub(p.Value)!, StringComparer.OrdinalIgnoreCase),
                };
                messagesEdited++;
            }

            foreach (var item in _events.Values.ToList())
            {
                if (people.Contains(item.Mailbox.Trim()))
                {
                    _events.Remove(item.Id);
                    eventsRemoved++;
                    continue;
                }

                var attends = item.Attendees.Any(Theirs);
                var mentions = attends || redaction.Mentions(item.Subject) || redaction.Mentions(item.BodyContent) || redaction.Mentions(item.Location)
                    || redaction.Mentions(item.CancellationComment) || item.ExtendedProperties.Values.Any(redaction.Mentions);
                if (!mentions)
                {
                    continue;
                }

                // The event stays in the organizer's calendar (its other attendees keep it, and a queued cancellation
                // still finds it); the person is no longer on it.
                item.Attendees.RemoveAll(Theirs);
                item.Subject = redaction.Scrub(item.Subject)!;
                item.BodyContent = redaction.Scrub(item.BodyContent)!;
                item.Location = redaction.Scrub(item.Location);
                item.CancellationComment = redaction.Scrub(item.CancellationComment);
                foreach (var key in item.ExtendedProperties.Keys.ToList())
                {
                    item.ExtendedProperties[key] = redaction.Scrub(item.ExtendedProperties[key])!;
                }

                eventsEdited++;
            }
        }

        return new SandboxForgetResult(messagesRemoved, messagesEdited, eventsRemoved, eventsEdited);
    }
}
