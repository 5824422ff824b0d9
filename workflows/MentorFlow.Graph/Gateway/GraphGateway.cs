using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MentorFlow.Graph.Model;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.Events.Item.Cancel;
using Microsoft.Graph.Users.Item.SendMail;
using Microsoft.Kiota.Abstractions;

namespace MentorFlow.Graph.Gateway;

/// <summary>The Graph calls MentorFlow makes for an organizer mailbox.</summary>
public interface IGraphGateway
{
    /// <summary>
    /// Runs the operations against one mailbox: one direct call for a single operation, one <c>$batch</c> (at most
    /// 20) for several. Never throws for a Graph or transport failure: each operation gets its own result.
    /// </summary>
    Task<IReadOnlyDictionary<string, GraphCallResult>> ExecuteAsync(
        string mailbox, IReadOnlyList<GraphOperation> operations, CancellationToken cancellationToken);

    /// <summary>The event (single or series master) created with this idempotency key, if any.</summary>
    Task<GraphEventRef?> FindEventAsync(string mailbox, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Whether a mail stamped with this idempotency key is in the mailbox's Sent Items.</summary>
    Task<bool> WasMailSentAsync(string mailbox, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>The same calls routed to the embedded sandbox (test runs); in Sandbox mode the gateway itself.</summary>
    IGraphGateway Sandbox { get; }
}

/// <summary>
/// <see cref="IGraphGateway"/> over the Graph SDK. Events carry a <c>transactionId</c> derived from the idempotency
/// key (Graph refuses a second create with it) and, like mail, the key itself as an extended property (so an
/// earlier attempt can be found) and mail also as the <c>x-mentorflow-key</c> internet header.
/// </summary>
public sealed class GraphGateway : IGraphGateway
{
    private readonly Func<CancellationToken, Task<GraphServiceClient>> _client;
    private readonly TimeProvider _clock;
    private readonly Lazy<IGraphGateway> _sandbox;

    public GraphGateway(GraphClientProvider clients, TimeProvider clock)
    {
        _client = clients.GetClientAsync;
        _clock = clock;
        _sandbox = new Lazy<IGraphGateway>(() => new GraphGateway(clients.GetSandboxClientAsync, clock));
    }

    private GraphGateway(Func<CancellationToken, Task<GraphServiceClient>> client, TimeProvider clock)
    {
        _client = client;
        _clock = clock;
        _sandbox = new Lazy<IGraphGateway>(() => this);
    }

    public IGraphGateway Sandbox => _sandbox.Value;

    public const int MaxBatchSize = 20;

    /// <summary>The MAPI named property carrying our idempotency key on events and messages.</summary>
    public const string KeyPropertyId = "String {4a0c2f3e-6f21-4d53-9c1e-1b2d7f6e8a90} Name MentorFlowKey";

    public const string KeyHeaderName = "x-mentorflow-key";

    /// <summary>A stable Graph <c>transactionId</c> for an idempotency key (a GUID-shaped SHA-256 prefix).</summary>
    public static string TransactionIdFor(string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey));
        return new Guid(hash.AsSpan(0, 16)).ToString("D");
    }

    public async Task<IReadOnlyDictionary<string, GraphCallResult>> ExecuteAsync(
        string mailbox, IReadOnlyList<GraphOperation> operations, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(operations.Count, MaxBatchSize);
        if (operations.Count == 0)
        {
            return new Dictionary<string, GraphCallResult>();
        }

        var client = await _client(cancellationToken);
        return operations.Count == 1
            ? new Dictionary<string, GraphCallResult> { [operations[0].Id] = await ExecuteOneAsync(client, mailbox, operations[0], cancellationToken) }
            : await ExecuteBatchAsync(client, mailbox, operations, cancellationToken);
    }

    public async Task<GraphEventRef?> FindEventAsync(string mailbox, string idempotencyKey, CancellationToken cancellationToken)
    {
        var client = await _client(cancellationToken);
        var page = await client.Users[mailbox].Events.GetAsync(request =>
        {
            request.QueryParameters.Filter = KeyFilter(idempotencyKey);
            request.QueryParameters.Select = ["id", "iCalUId", "webLink", "transactionId"];
            request.QueryParameters.Top = 2;
        }, cancellationToken);
        var found = page?.Value?.FirstOrDefault(e => e.Id is not null);
        return found is null ? null : new GraphEventRef(found.Id!, found.ICalUId, found.WebLink);
    }

    public async Task<bool> WasMailSentAsync(string mailbox, string idempotencyKey, CancellationToken cancellationToken)
    {
        var client = await _client(cancellationToken);
        var page = await client.Users[mailbox].MailFolders["sentitems"].Messages.GetAsync(request =>
        {
            request.QueryParameters.Filter = KeyFilter(idempotencyKey);
            request.QueryParameters.Select = ["id", "internetMessageHeaders"];
            request.QueryParameters.Top = 1;
        }, cancellationToken);
        return page?.Value is { Count: > 0 };
    }

    private static string KeyFilter(string key) =>
        $"singleValueExtendedProperties/Any(ep: ep/id eq '{KeyPropertyId}' and ep/value eq '{key.Replace("'", "''", StringComparison.Ordinal)}')";

    private async Task<GraphCallResult> ExecuteOneAsync(
        GraphServiceClient client, string mailbox, GraphOperation operation, CancellationToken cancellationToken)
    {
        try
        {
            var user = client.Users[mailbox];
            switch (operation)
            {
                case CreateEventOperation create:
                    return Created(await user.Events.PostAsync(ToEvent(create.Invite, create.IdempotencyKey, null), cancellationToken: cancellationToken), 201);
                case CreateSeriesOperation series:
                    return Created(await user.Events.PostAsync(
                        ToEvent(series.Series.FirstOccurrence, series.IdempotencyKey, ToRecurrence(series.Series)), cancellationToken: cancellationToken), 201);
                case UpdateEventOperation update:
                    return Created(await user.Events[update.EventId].PatchAsync(ToPatch(update.Update, update.Series), cancellationToken: cancellationToken), 200);
                case CancelEventOperation cancel:
                    await user.Events[cancel.EventId].Cancel.PostAsync(new CancelPostRequestBody { Comment = cancel.Comment }, cancellationToken: cancellationToken);
                    return GraphCallResult.Success(202);
                case SendMailOperation mail:
                    await user.SendMail.PostAsync(ToSendMail(mail.Mail, mail.IdempotencyKey), cancellationToken: cancellationToken);
                    return GraphCallResult.Success(202);
                default:
                    throw new ArgumentException($"Unknown operation {operation.GetType().Name}.", nameof(operation));
            }
        }
        catch (ODataError error)
        {
            return GraphCallResult.Failure(error.ResponseStatusCode, error.Error?.Code, error.Error?.Message ?? error.Message,
                RetryAfter(error.ResponseHeaders, _clock.GetUtcNow()));
        }
        catch (ApiException error)
        {
            return GraphCallResult.Failure(error.ResponseStatusCode, null, error.Message, RetryAfter(error.ResponseHeaders, _clock.GetUtcNow()));
        }
        catch (Exception error) when (error is HttpRequestException or IOException
                                       || (error is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return GraphCallResult.Failure(null, "TransportError", error.Message, null);
        }
    }

    private async Task<IReadOnlyDictionary<string, GraphCallResult>> ExecuteBatchAsync(
        GraphServiceClient client, string mailbox, IReadOnlyList<GraphOperation> operations, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, GraphCallResult>(StringComparer.Ordinal);
        try
        {
            var batch = new BatchRequestContentCollection(client, MaxBatchSize);
            var user = client.Users[mailbox];
            foreach (var operation in operations)
            {
                var request = operation switch
                {
                    CreateEventOperation create => user.Events.ToPostRequestInformation(ToEvent(create.Invite, create.IdempotencyKey, null)),
                    CreateSeriesOperation series => user.Events.ToPostRequestInformation(
                        ToEvent(series.Series.FirstOccurrence, series.IdempotencyKey, ToRecurrence(series.Series))),
                    UpdateEventOperation update => user.Events[update.EventId].ToPatchRequestInformation(ToPatch(update.Update, update.Series)),
                    CancelEventOperation cancel => user.Events[cancel.EventId].Cancel.ToPostRequestInformation(new CancelPostRequestBody { Comment = cancel.Comment }),
                    SendMailOperation mail => user.SendMail.ToPostRequestInformation(ToSendMail(mail.Mail, mail.IdempotencyKey)),
                    _ => throw new ArgumentException($"Unknown operation {operation.GetType().Name}.", nameof(operations)),
                };
                await batch.AddBatchRequestStepAsync(request, operation.Id);
            }

            var response = await client.Batch.PostAsync(batch, cancellationToken);
            var codes = await response.GetResponsesStatusCodesAsync();
            foreach (var operation in operations)
            {
                if (!codes.TryGetValue(operation.Id, out var code))
                {
                    results[operation.Id] = GraphCallResult.Failure(null, "MissingBatchResponse", "The batch response has no entry for this request.", null);
                    continue;
                }

                using var step = await response.GetResponseByIdAsync(operation.Id);
                results[operation.Id] = await ReadStepAsync(step, (int)code, cancellationToken);
            }
        }
        catch (ODataError error)
        {
            var failed = GraphCallResult.Failure(error.ResponseStatusCode, error.Error?.Code, error.Error?.Message ?? error.Message,
                RetryAfter(error.ResponseHeaders, _clock.GetUtcNow()));
            return operations.ToDictionary(o => o.Id, _ => failed, StringComparer.Ordinal);
        }
        catch (ApiException error)
        {
            var failed = GraphCallResult.Failure(error.ResponseStatusCode, null, error.Message, RetryAfter(error.ResponseHeaders, _clock.GetUtcNow()));
            return operations.ToDictionary(o => o.Id, _ => failed, StringComparer.Ordinal);
        }
        catch (Exception error) when (error is HttpRequestException or IOException or JsonException
                                       || (error is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var failed = GraphCallResult.Failure(null, "TransportError", error.Message, null);
            return operations.ToDictionary(o => o.Id, o => results.GetValueOrDefault(o.Id) ?? failed, StringComparer.Ordinal);
        }

        return results;
    }

    private async Task<GraphCallResult> ReadStepAsync(HttpResponseMessage step, int status, CancellationToken cancellationToken)
    {
        var text = step.Content is null ? string.Empty : await step.Content.ReadAsStringAsync(cancellationToken);
        if (status is >= 200 and < 300)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return GraphCallResult.Success(status);
            }

            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            return GraphCallResult.Success(status, root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? new GraphEventRef(id.GetString()!, StringOrNull(root, "iCalUId"), StringOrNull(root, "webLink"))
                : null);
        }

        string? code = null;
        string? message = null;
        if (!string.IsNullOrWhiteSpace(text))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.TryGetProperty("error", out var error))
                {
                    code = StringOrNull(error, "code");
                    message = StringOrNull(error, "message");
                }
            }
            catch (JsonException)
            {
                message = text.Length > 500 ? text[..500] : text;
            }
        }

        return GraphCallResult.Failure(status, code, message ?? $"HTTP {status}", RetryAfter(step.Headers.RetryAfter, _clock.GetUtcNow()));
    }

    private static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static GraphCallResult Created(Event? created, int status) =>
        GraphCallResult.Success(status, created?.Id is { } id ? new GraphEventRef(id, created.ICalUId, created.WebLink) : null);

    /// <summary>Reads <c>Retry-After</c> as seconds (integer or decimal) or an HTTP date.</summary>
    internal static TimeSpan? RetryAfter(IDictionary<string, IEnumerable<string>>? headers, DateTimeOffset now)
    {
        if (headers is null)
        {
            return null;
        }

        var value = headers.FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        return ParseRetryAfter(value, now);
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now) =>
        header?.Delta ?? (header?.Date is { } date && date > now ? date - now : null);

    internal static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) && date > now
            ? date - now
            : null;
    }

    internal static Event ToEvent(InviteRequest invite, string idempotencyKey, PatternedRecurrence? recurrence)
    {
        var zone = GraphTimeZones.ToGraph(invite.TimeZone);
        var created = new Event
        {
            Subject = invite.Subject,
            Body = new ItemBody { ContentType = BodyType.Html, Content = invite.HtmlBody },
            Start = new DateTimeTimeZone { DateTime = WallClock(invite.Start), TimeZone = zone },
            End = new DateTimeTimeZone { DateTime = WallClock(invite.End), TimeZone = zone },
            Attendees = invite.Attendees.Select(a => new Attendee
            {
                Type = AttendeeType.Required,
                EmailAddress = new EmailAddress { Address = a.Email, Name = a.Name },
            }).ToList(),
            TransactionId = TransactionIdFor(idempotencyKey),
            SingleValueExtendedProperties = [new SingleValueLegacyExtendedProperty { Id = KeyPropertyId, Value = idempotencyKey }],
        };
        if (recurrence is not null)
        {
            created.Recurrence = recurrence;
        }

        if (invite.Location is { Length: > 0 } location)
        {
            created.Location = new Location { DisplayName = location };
        }

        if (invite.TeamsMeeting)
        {
            created.IsOnlineMeeting = true;
            created.OnlineMeetingProvider = OnlineMeetingProviderType.TeamsForBusiness;
        }

        return created;
    }

    /// <summary>
    /// The recurrence of a series: weekly or every two weeks on the first meeting's weekday, or monthly on its day of
    /// the month; the range starts on the first meeting's date (Graph requires it) and ends on the end date.
    /// </summary>
    internal static PatternedRecurrence ToRecurrence(SeriesRequest series)
    {
        var start = series.FirstOccurrence.Start;
        var pattern = series.Cadence switch
        {
            RecurrenceCadence.Weekly or RecurrenceCadence.EveryTwoWeeks => new RecurrencePattern
            {
                Type = RecurrencePatternType.Weekly,
                Interval = series.Cadence == RecurrenceCadence.Weekly ? 1 : 2,
                DaysOfWeek = [ToGraphDay(start.DayOfWeek)],
                FirstDayOfWeek = DayOfWeekObject.Monday,
            },
            RecurrenceCadence.Monthly => new RecurrencePattern
            {
                Type = RecurrencePatternType.AbsoluteMonthly,
                Interval = 1,
                DayOfMonth = start.Day,
            },
            _ => throw new ArgumentException($"Unknown cadence {series.Cadence}.", nameof(series)),
        };
        return new PatternedRecurrence
        {
            Pattern = pattern,
            Range = new RecurrenceRange
            {
                Type = RecurrenceRangeType.EndDate,
                StartDate = new Date(start.Year, start.Month, start.Day),
                EndDate = new Date(series.EndDate.Year, series.EndDate.Month, series.EndDate.Day),
                RecurrenceTimeZone = GraphTimeZones.ToGraph(series.FirstOccurrence.TimeZone),
            },
        };
    }

    /// <summary>
    /// The PATCH body. Moving a series re-sends its recurrence built from <paramref name="series"/> (the range start
    /// must stay equal to the first meeting's date, and a weekly series follows the new weekday).
    /// </summary>
    internal static Event ToPatch(InviteUpdate update, SeriesRequest? series = null)
    {
        var patch = new Event();
        if (series is not null && update.Start is not null)
        {
            patch.Recurrence = ToRecurrence(series);
        }

        if (update.Subject is not null)
        {
            patch.Subject = update.Subject;
        }

        if (update.HtmlBody is not null)
        {
            patch.Body = new ItemBody { ContentType = BodyType.Html, Content = update.HtmlBody };
        }

        if (update.Start is { } start && update.End is { } end)
        {
            var zone = GraphTimeZones.ToGraph(update.TimeZone ?? "Etc/UTC");
            patch.Start = new DateTimeTimeZone { DateTime = WallClock(start), TimeZone = zone };
            patch.End = new DateTimeTimeZone { DateTime = WallClock(end), TimeZone = zone };
        }

        if (update.Attendees is not null)
        {
            patch.Attendees = update.Attendees.Select(a => new Attendee
            {
                Type = AttendeeType.Required,
                EmailAddress = new EmailAddress { Address = a.Email, Name = a.Name },
            }).ToList();
        }

        return patch;
    }

    /// <summary>
    /// The sendMail body. Absent recipients stay unset rather than set to null: the SDK's backing store writes every
    /// property set to null as <c>"name":null</c>, which says nothing Graph needs.
    /// </summary>
    internal static SendMailPostRequestBody ToSendMail(MailRequest mail, string idempotencyKey)
    {
        var message = new Message
        {
            Subject = mail.Subject,
            Body = new ItemBody { ContentType = BodyType.Html, Content = mail.HtmlBody },
            ToRecipients = Recipients(mail.To),
            InternetMessageHeaders = [new InternetMessageHeader { Name = KeyHeaderName, Value = idempotencyKey }],
            SingleValueExtendedProperties = [new SingleValueLegacyExtendedProperty { Id = KeyPropertyId, Value = idempotencyKey }],
        };
        if (mail.Cc is { Count: > 0 } cc)
        {
            message.CcRecipients = Recipients(cc);
        }

        if (mail.ReplyTo is { Count: > 0 } replyTo)
        {
            message.ReplyTo = Recipients(replyTo);
        }

        return new SendMailPostRequestBody { Message = message, SaveToSentItems = true };
    }

    private static List<Recipient> Recipients(IReadOnlyList<EmailContact> people) =>
        people.Select(p => new Recipient { EmailAddress = new EmailAddress { Address = p.Email, Name = p.Name } }).ToList();

    private static string WallClock(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static DayOfWeekObject ToGraphDay(DayOfWeek day) => day switch
    {
        DayOfWeek.Sunday => DayOfWeekObject.Sunday,
        DayOfWeek.Monday => DayOfWeekObject.Monday,
        DayOfWeek.Tuesday => DayOfWeekObject.Tuesday,
        DayOfWeek.Wednesday => DayOfWeekObject.Wednesday,
        DayOfWeek.Thursday => DayOfWeekObject.Thursday,
        DayOfWeek.Friday => DayOfWeekObject.Friday,
        _ => DayOfWeekObject.Saturday,
    };
}
