using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Graph.Sandbox;

/// <summary>
/// The sandbox's events and mail in the product's database (<c>graph_sandbox_*</c>, see <see cref="GraphModel"/>):
/// they survive restarts, and every replica on the same database reads and writes the same mailboxes. Each item is
/// stored as JSON with the columns Graph's calls filter on; <c>graph_sandbox_terms</c> finds items by person and by
/// extended property. A transactionId is unique per mailbox in the database (Graph's duplicate check across replicas);
/// an update is written only if the event's change number is still the one read.
/// </summary>
public sealed class SandboxStore(Func<DbContext> createContext)
{
    /// <summary>Items read for one view or lookup at most (the sandbox is a test inbox, not an archive).</summary>
    public const int MaxItems = 5_000;

    private const int ScanPage = 500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public async Task<bool> TryAddEventAsync(SandboxEvent item, CancellationToken cancellationToken)
    {
        await using var db = createContext();
        db.Add(new SandboxEventRow
        {
            Id = item.Id,
            Mailbox = Key(item.Mailbox),
            TransactionId = item.TransactionId is { Length: > 0 } transaction ? transaction : null,
            CreatedAt = item.CreatedAt,
            ChangeNumber = item.ChangeNumber,
            Document = JsonSerializer.Serialize(item, Json),
        });
        db.AddRange(Terms(item));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException) when (item.TransactionId is { Length: > 0 })
        {
            // The unique (mailbox, transaction_id) index refused it: another request or replica created it first.
            if (await TransactionUsedAsync(item.Mailbox, item.TransactionId, cancellationToken))
            {
                return false;
            }

            throw;
        }
    }

    public async Task<bool> TransactionUsedAsync(string mailbox, string transactionId, CancellationToken cancellationToken)
    {
        await using var db = createContext();
        var key = Key(mailbox);
        return await db.Set<SandboxEventRow>().AnyAsync(e => e.Mailbox == key && e.TransactionId == transactionId, cancellationToken);
    }

    public async Task<SandboxEvent?> FindEventAsync(string mailbox, string id, CancellationToken cancellationToken)
    {
        await using var db = createContext();
        var key = Key(mailbox);
        var row = await db.Set<SandboxEventRow>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && e.Mailbox == key, cancellationToken);
        return row is null ? null : ReadEvent(row);
    }

    /// <summary>Writes <paramref name="item"/> if its stored change number is still <paramref name="readChangeNumber"/>.</summary>
    public async Task<bool> TryReplaceEventAsync(SandboxEvent item, int readChangeNumber, CancellationToken cancellationToken)
    {
        await using var db = createContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var document = JsonSerializer.Serialize(item, Json);
        var changed = await db.Set<SandboxEventRow>()
            .Where(e => e.Id == item.Id && e.ChangeNumber == readChangeNumber)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.Document, document).SetProperty(e => e.ChangeNumber, item.ChangeNumber), cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        await ReplaceTermsAsync(db, item.Id, Terms(item), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> DeleteEventAsync(string mailbox, string id, CancellationToken cancellationToken)
    {
        await using var db = createContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var key = Key(mailbox);
        if (await db.Set<SandboxEventRow>().Where(e => e.Id == id && e.Mailbox == key).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return false;
        }

        await db.Set<SandboxTermRow>().Where(t => t.ItemId == id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Events in creation order (at most <paramref name="limit"/>): of an organizer's <paramref name="mailbox"/>, of
    /// a <paramref name="person"/> (organizer or attendee), with an extended <paramref name="property"/> value; all
    /// when nothing is given.
    /// </summary>
    public async Task<IReadOnlyList<SandboxEvent>> EventsAsync(
        string? mailbox = null, string? person = null, (string Id, string Value)? property = null, int limit = MaxItems,
        CancellationToken cancellationToken = default)
    {
        await using var db = createContext();
        var rows = db.Set<SandboxEventRow>().AsNoTracking();
        if (mailbox is not null)
        {
            var key = Key(mailbox);
            rows = rows.Where(e => e.Mailbox == key);
        }

        rows = WithTerms(db, rows, person, property);
        var found = await rows.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).Take(Math.Clamp(limit, 1, MaxItems)).ToListAsync(cancellationToken);
        return found.Select(ReadEvent).ToList();
    }

    public async Task AddMessageAsync(SandboxMessage message, CancellationToken cancellationToken)
    {
        await using var db = createContext();
        db.Add(new SandboxMessageRow
        {
            Id = message.Id,
            Sender = Key(message.Sender),
            SentAt = message.SentAt,
            VisibleAt = message.VisibleInSentItemsAt,
            Document = JsonSerializer.Serialize(message, Json),
        });
        db.AddRange(Terms(message));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Mails in sending order (at most <paramref name="limit"/>): sent from <paramref name="sender"/>, sent or
    /// received by <paramref name="person"/>, with an extended <paramref name="property"/> value, visible in Sent
    /// Items by <paramref name="visibleBy"/>; all when nothing is given.
    /// </summary>
    public async Task<IReadOnlyList<SandboxMessage>> MessagesAsync(
        string? sender = null, string? person = null, (string Id, string Value)? property = null, DateTimeOffset? visibleBy = null,
        int limit = MaxItems, CancellationToken cancellationToken = default)
    {
        await using var db = createContext();
        var rows = db.Set<SandboxMessageRow>().AsNoTracking();
        if (sender is not null)
        {
            var key = Key(sender);
            rows = rows.Where(m => m.Sender == key);
        }

        if (visibleBy is { } by)
        {
            rows = rows.Where(m => m.VisibleAt <= by);
        }

        rows = WithTerms(db, rows, person, property);
        var found = await rows.OrderBy(m => m.SentAt).ThenBy(m => m.Id).Take(Math.Clamp(limit, 1, MaxItems)).ToListAsync(cancellationToken);
        return found.Select(ReadMessage).ToList();
    }

    /// <summary>Every address that organizes, attends, sends or receives something here, with its invites and mails.</summary>
    public async Task<IReadOnlyList<SandboxMailboxSummary>> MailboxesAsync(CancellationToken cancellationToken)
    {
        await using var db = createContext();
        var people = db.Set<SandboxTermRow>().AsNoTracking().Where(t => t.Term.StartsWith("a:"));
        var eventIds = db.Set<SandboxEventRow>().Select(e => e.Id);
        var items = await people.GroupBy(t => t.Term).Select(g => new { g.Key, Count = g.Count() })
            .OrderBy(g => g.Key).Take(MaxItems).ToListAsync(cancellationToken);
        var invites = await people.Where(t => eventIds.Contains(t.ItemId)).GroupBy(t => t.Term).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, StringComparer.Ordinal, cancellationToken);
        return items.Select(t => new SandboxMailboxSummary(t.Key[2..], invites.GetValueOrDefault(t.Key), t.Count - invites.GetValueOrDefault(t.Key)))
            .ToList();
    }

    /// <summary>Removes every event, mail and redeemed ticket.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        await using var db = createContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Set<SandboxTermRow>().ExecuteDeleteAsync(cancellationToken);
        await db.Set<SandboxEventRow>().ExecuteDeleteAsync(cancellationToken);
        await db.Set<SandboxMessageRow>().ExecuteDeleteAsync(cancellationToken);
        await db.Set<SandboxTicketRow>().ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Records a sign-in ticket as used; false when some replica used it already.</summary>
    public async Task<bool> TryRedeemTicketAsync(string nonce, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = createContext();
        await db.Set<SandboxTicketRow>().Where(t => t.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        db.Add(new SandboxTicketRow { Nonce = nonce, ExpiresAt = expiresAt });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }

    /// <summary>
    /// Rewrites or removes every stored item through <paramref name="events"/> and <paramref name="messages"/>
    /// (null removes the item; the same instance keeps it unchanged), page by page in one transaction.
    /// </summary>
    internal async Task<(int Removed, int Edited, int EventsRemoved, int EventsEdited)> RewriteAllAsync(
        Func<SandboxEvent, SandboxEvent?> events, Func<SandboxMessage, SandboxMessage?> messages, CancellationToken cancellationToken)
    {
        await using var db = createContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        int removed = 0, edited = 0, eventsRemoved = 0, eventsEdited = 0;
        string? after = null;
        while (true)
        {
            var page = await db.Set<SandboxMessageRow>()
                .Where(m => after == null || string.Compare(m.Id, after) > 0)
                .OrderBy(m => m.Id).Take(ScanPage).ToListAsync(cancellationToken);
            foreach (var row in page)
            {
                var message = ReadMessage(row);
                var result = messages(message);
                if (result is null)
                {
                    db.Remove(row);
                    await db.Set<SandboxTermRow>().Where(t => t.ItemId == row.Id).ExecuteDeleteAsync(cancellationToken);
                    removed++;
                }
                else if (!ReferenceEquals(result, message))
                {
                    row.Document = JsonSerializer.Serialize(result, Json);
                    await ReplaceTermsAsync(db, row.Id, Terms(result), cancellationToken);
                    edited++;
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            if (page.Count < ScanPage)
            {
                break;
            }

            after = page[^1].Id;
        }

        after = null;
        while (true)
        {
            var page = await db.Set<SandboxEventRow>()
                .Where(e => after == null || string.Compare(e.Id, after) > 0)
                .OrderBy(e => e.Id).Take(ScanPage).ToListAsync(cancellationToken);
            foreach (var row in page)
            {
                var item = ReadEvent(row);
                var result = events(item);
                if (result is null)
                {
                    db.Remove(row);
                    await db.Set<SandboxTermRow>().Where(t => t.ItemId == row.Id).ExecuteDeleteAsync(cancellationToken);
                    eventsRemoved++;
                }
                else if (!ReferenceEquals(result, item))
                {
                    row.Document = JsonSerializer.Serialize(result, Json);
                    row.ChangeNumber = result.ChangeNumber;
                    await ReplaceTermsAsync(db, row.Id, Terms(result), cancellationToken);
                    eventsEdited++;
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            if (page.Count < ScanPage)
            {
                break;
            }

            after = page[^1].Id;
        }

        await transaction.CommitAsync(cancellationToken);
        return (removed, edited, eventsRemoved, eventsEdited);
    }

    /// <summary>The lookup term of an extended property value (a hash: values may be long).</summary>
    public static string PropertyTerm(string id, string value) =>
        "p:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id.ToLowerInvariant() + "\n" + value)));

    /// <summary>The lookup term of a person.</summary>
    public static string PersonTerm(string address) => "a:" + Key(address);

    private static string Key(string address)
    {
        var key = address.Trim().ToLowerInvariant();
        return key.Length > 320 ? key[..320] : key;
    }

    private static IQueryable<TRow> WithTerms<TRow>(DbContext db, IQueryable<TRow> rows, string? person, (string Id, string Value)? property)
        where TRow : class
    {
        foreach (var term in new[] { person is null ? null : PersonTerm(person), property is { } p ? PropertyTerm(p.Id, p.Value) : null })
        {
            if (term is null)
            {
                continue;
            }

            var ids = db.Set<SandboxTermRow>().Where(t => t.Term == term).Select(t => t.ItemId);
            rows = rows.Where(row => ids.Contains(EF.Property<string>(row, "Id")));
        }

        return rows;
    }

    private static async Task ReplaceTermsAsync(DbContext db, string itemId, IEnumerable<SandboxTermRow> terms, CancellationToken cancellationToken)
    {
        await db.Set<SandboxTermRow>().Where(t => t.ItemId == itemId).ExecuteDeleteAsync(cancellationToken);
        db.AddRange(terms);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static IEnumerable<SandboxTermRow> Terms(SandboxEvent item) =>
        item.Attendees.Select(a => a.Address).Append(item.Mailbox).Select(PersonTerm)
            .Concat(item.ExtendedProperties.Select(p => PropertyTerm(p.Key, p.Value)))
            .Distinct(StringComparer.Ordinal)
            .Select(term => new SandboxTermRow { ItemId = item.Id, Term = term });

    private static IEnumerable<SandboxTermRow> Terms(SandboxMessage message) =>
        message.Recipients.Append(message.Sender).Select(PersonTerm)
            .Concat(message.ExtendedProperties.Select(p => PropertyTerm(p.Key, p.Value)))
            .Distinct(StringComparer.Ordinal)
            .Select(term => new SandboxTermRow { ItemId = message.Id, Term = term });

    private static SandboxEvent ReadEvent(SandboxEventRow row) =>
        JsonSerializer.Deserialize<SandboxEvent>(row.Document, Json)
        ?? throw new InvalidOperationException($"Sandbox event {row.Id} has no document.");

    private static SandboxMessage ReadMessage(SandboxMessageRow row) =>
        JsonSerializer.Deserialize<SandboxMessage>(row.Document, Json)
        ?? throw new InvalidOperationException($"Sandbox mail {row.Id} has no document.");
}

/// <summary>A mailbox of the sandbox's index page: the address and how many invites and mails involve it.</summary>
public sealed record SandboxMailboxSummary(string Address, int Invites, int Mails);
