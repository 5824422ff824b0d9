using System.Globalization;
using System.Text.Json.Nodes;
using MentorFlow.Graph.Model;
using static MentorFlow.Graph.Sandbox.SandboxJson;

namespace MentorFlow.Graph.Sandbox;

/// <summary>sendMail and the Sent Items lookup.</summary>
public sealed partial class GraphSandbox
{
    private async Task<SandboxResponse> SendMailAsync(SandboxRequest request, string mailbox, CancellationToken cancellationToken)
    {
        if (ParseObject(request) is not { } body)
        {
            return Error(request, 400, "BadRequest", UnreadableBody(request));
        }

        if (body["message"] is not JsonObject message)
        {
            return Error(request, 400, "ErrorInvalidParameter", "The parameter 'Message' is missing or null.");
        }

        var to = People(message["toRecipients"]);
        var cc = People(message["ccRecipients"]);
        var bcc = People(message["bccRecipients"]);
        var replyTo = People(message["replyTo"]);
        if (to.Count + cc.Count + bcc.Count == 0)
        {
            return Error(request, 400, "ErrorInvalidRecipients", "At least one recipient isn't valid., A message can't be sent because it contains no recipients.");
        }

        if (to.Count + cc.Count + bcc.Count > GraphRequestValidator.MaxRecipients)
        {
            return Error(request, 400, "ErrorInvalidRecipients", "At least one recipient isn't valid., The message has too many recipients.");
        }

        if (to.Concat(cc).Concat(bcc).Concat(replyTo).FirstOrDefault(p => !GraphRequestValidator.IsEmail(p.Address)) is { } badRecipient)
        {
            return Error(request, 400, "ErrorInvalidRecipients", $"At least one recipient isn't valid., Recipient '{badRecipient.Address}' is not resolved.");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in message["internetMessageHeaders"]?.AsArray() ?? [])
        {
            var name = header is JsonObject h ? Text(h, "name") : null;
            if (name is null || !name.StartsWith("x-", StringComparison.OrdinalIgnoreCase))
            {
                return Error(request, 400, "InvalidInternetMessageHeader", $"The internet message header name '{name}' should start with 'x-' or 'X-'.");
            }

            headers[name] = Text((JsonObject)header!, "value") ?? string.Empty;
        }

        var now = clock.GetUtcNow();
        var saveToSentItems = body["saveToSentItems"] is not JsonValue save || !save.TryGetValue<bool>(out var flag) || flag;
        var stored = new SandboxMessage
        {
            Id = NewId("AAMkAGMsg"),
            InternetMessageId = $"<{Guid.NewGuid():N}@sandbox.mentorflow.local>",
            Sender = mailbox,
            SentAt = now,
            VisibleInSentItemsAt = saveToSentItems ? now + options.Value.SentItemsDelay : DateTimeOffset.MaxValue,
            Subject = Text(message, "subject") ?? string.Empty,
            BodyContentType = (message["body"] is JsonObject b ? Text(b, "contentType") : null)?.ToLowerInvariant() ?? "text",
            BodyContent = message["body"] is JsonObject c ? Text(c, "content") ?? string.Empty : string.Empty,
            To = to,
            Cc = cc,
            Bcc = bcc,
            ReplyTo = replyTo,
            Headers = headers,
            ExtendedProperties = ExtendedProperties(message),
        };
        await Store.AddMessageAsync(stored, cancellationToken);
        return Empty(202);
    }

    private async Task<SandboxResponse> ListSentItemsAsync(SandboxRequest request, string mailbox, CancellationToken cancellationToken)
    {
        var filter = QueryValue(request, "filter");
        var match = filter is null ? null : ExtendedPropertyFilter().Match(filter);
        if (filter is not null && match is { Success: false })
        {
            return Error(request, 400, "ErrorInvalidUrlQueryFilter", "The sandbox supports only singleValueExtendedProperties/Any(...) filters.");
        }

        (string Id, string Value)? property = match is null
            ? null
            : (match.Groups["id"].Value, match.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal));
        var sent = await Store.MessagesAsync(sender: mailbox, property: property, visibleBy: clock.GetUtcNow(), cancellationToken: cancellationToken);
        var found = sent
            .Where(m => property is not { } p || m.ExtendedProperties.Any(e => Same(e.Key, p.Id) && e.Value == p.Value))
            .Select(m => (JsonNode)new JsonObject
            {
                ["id"] = m.Id,
                ["subject"] = m.Subject,
                ["internetMessageId"] = m.InternetMessageId,
                ["sentDateTime"] = m.SentAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["internetMessageHeaders"] = new JsonArray(m.Headers.Select(h => (JsonNode)new JsonObject { ["name"] = h.Key, ["value"] = h.Value }).ToArray()),
            })
            .ToArray();
        return Json(200, new JsonObject
        {
            ["@odata.context"] = $"{ContextBase}#users('{mailbox}')/mailFolders('sentitems')/messages",
            ["value"] = new JsonArray(found),
        });
    }
}
