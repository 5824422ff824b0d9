using MentorFlow.Graph.Model;
using MentorFlow.Graph.Outbox;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Services;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Mentoring.Tests;

public sealed class PrivacyTests : IDisposable
{
    private readonly MentoringFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Export_ReturnsEverythingAboutThePersonAndIsAudited()
    {
        var (_, pair, mentor, mentee) = await _f.ApprovedPairAsync();
        await _f.Partnership.ConfirmAsync(_f.PairClaims(LinkPurpose.ConfirmMatch, pair, mentee), new ConfirmInput(true));

        var export = await _f.Privacy.ExportAsync("MENTEE@contoso.test", "manager");

        Assert.Equal("mentee@contoso.test", Assert.Single(export.Applications).Email);
        Assert.Equal(pair.Id, Assert.Single(export.Pairs).Id);
        Assert.Contains(export.AuditEntries, e => e.Action == "match.accepted");
        await using var db = _f.Factory.CreateDbContext();
        var audit = await db.Set<AuditEntry>().SingleAsync(e => e.Action == "privacy.exported");
        Assert.DoesNotContain("mentee@contoso.test", audit.Subject, StringComparison.Ordinal);
        _ = mentor;
    }

    [Fact]
    public async Task Erase_AnonymisesApplicationsBlanksFreeTextClosesRunningPairsAndAudits()
    {
        var (programme, pair, mentor, mentee) = await _f.ApprovedPairAsync();
        await _f.Partnership.ConfirmAsync(_f.PairClaims(LinkPurpose.ConfirmMatch, pair, mentor), new ConfirmInput(true));
        await _f.Partnership.ConfirmAsync(_f.PairClaims(LinkPurpose.ConfirmMatch, pair, mentee), new ConfirmInput(true));
        await _f.Partnership.GiveTestimonialAsync(_f.PairClaims(LinkPurpose.Testimonial, pair, mentee), new TestimonialInput("A wonderful programme.", true));
        await _f.Partnership.AnswerSurveyAsync(_f.PairClaims(LinkPurpose.CheckInSurvey, pair, mentee, 1), new SurveyInput(5, true, "my private note"));

        var result = await _f.Privacy.EraseAsync("mentee@contoso.test", "manager");

        await using var db = _f.Factory.CreateDbContext();
        var application = await db.Set<Application>().SingleAsync(a => a.Id == mentee.Id);
        Assert.Equal("(erased)", application.Name);
        Assert.EndsWith("@erased.invalid", application.Email, StringComparison.Ordinal);
        Assert.Equal("", application.Statement);
        Assert.Equal(["erased"], application.Interests);
        Assert.Equal(["erased"], application.Goals);
        Assert.Equal("erased", application.CareerPath);
        Assert.Empty(application.Expertise);
        var testimonial = await db.Set<Testimonial>().SingleAsync();
        Assert.Equal(("(erased)", false), (testimonial.Text, testimonial.Consent));
        var survey = await db.Set<SurveyResponse>().SingleAsync();
        Assert.Equal(("", 5), (survey.Comment, survey.Rating));
        var closedPair = await db.Set<Pair>().SingleAsync();
        Assert.Equal((PairStatus.ClosedEarly, ""), (closedPair.Status, closedPair.Reasons));
        Assert.Equal(pair.Id, Assert.Single(result.ClosedPairs).Id);
        var audit = await db.Set<AuditEntry>().ToListAsync();
        Assert.Contains(audit, e => e.Action == "privacy.erased" && e.Subject == result.Subject);
        Assert.DoesNotContain(audit, e => e.Actor == "participant:e1" || e.Subject.Contains("mentee@contoso.test", StringComparison.Ordinal));
        var notFound = await Assert.ThrowsAsync<MentoringProblemException>(() => _f.Privacy.ExportAsync("mentee@contoso.test", "manager"));
        Assert.Equal(404, notFound.Status);
        _ = programme;
    }

    [Fact]
    public async Task Erase_CancelsTheFlowsOfTheirPairsAndScrubsOtherFlowsThatMentionThem()
    {
        var (programme, pair, mentor, mentee) = await _f.ApprovedPairAsync();
        await using (var db = _f.Factory.CreateDbContext())
        {
            db.Add(Instance("pairflow", pair.Id.ToString(), """{"variables":{"Pair":{"MenteeEmail":"mentee@contoso.test","MenteeName":"Person e1"}},"queue":[{"activityId":"send"}]}""", leased: true));
            db.Add(Instance("pollflow", programme.Id.ToString(), """{"variables":{"Last":"Hello Person e1 <mentee@contoso.test>","Other":"Person m1"}}""", leased: true));
            db.Add(Instance("otherflow", Guid.NewGuid().ToString(), """{"variables":{"Who":"someone@contoso.test"}}""", leased: false));
            db.Add(new WorkflowBookmarkRecord { Id = "b1", InstanceId = "pairflow", ActivityId = "wait", Name = "PairActive", CorrelationId = pair.Id.ToString(), Payload = """{"email":"mentee@contoso.test"}""", CreatedAt = MentoringFixture.Start });
            db.Add(new WorkflowBookmarkRecord { Id = "b2", InstanceId = "pollflow", ActivityId = "wait", Name = "Timer", Payload = """{"to":"mentee@contoso.test"}""", CreatedAt = MentoringFixture.Start });
            db.Add(new WorkflowInboxRecord { Id = "i1", InstanceId = "pairflow", Kind = "Signal", Name = "PairActive", Payload = """{"by":"Person e1"}""", CreatedAt = MentoringFixture.Start });
            db.Add(new WorkflowJournalRecord { Id = "j1", InstanceId = "pairflow", Sequence = 1, ActivityId = "send", ActivityType = "MentorFlow.SendEmail", EventName = "Completed", Message = "mail to mentee@contoso.test", StartedAt = MentoringFixture.Start });
            db.Add(new WorkflowJournalRecord { Id = "j2", InstanceId = "pollflow", Sequence = 1, ActivityId = "send", ActivityType = "MentorFlow.SendEmail", EventName = "Faulted", Error = "Person e1 could not be mailed", StartedAt = MentoringFixture.Start });
            db.Add(new WorkflowIncidentRecord { Id = "x1", InstanceId = "pairflow", ActivityId = "send", ActivityType = "MentorFlow.SendEmail", Message = "mentee@contoso.test bounced", Exception = "at Person e1", Timestamp = MentoringFixture.Start });
            await db.SaveChangesAsync();
        }

        var result = await _f.Privacy.EraseAsync("mentee@contoso.test", "manager");

        Assert.Equal(1, result.FlowsCancelled);
        await using var check = _f.Factory.CreateDbContext();
        var instances = await check.Set<WorkflowInstanceRecord>().AsNoTracking().ToDictionaryAsync(i => i.Id);
        Assert.Equal(("Finished", "Cancelled", false, null), (instances["pairflow"].Status, instances["pairflow"].SubStatus, instances["pairflow"].HasPendingWork, instances["pairflow"].LeaseOwner));
        Assert.DoesNotContain("mentee@contoso.test", instances["pairflow"].State, StringComparison.Ordinal);
        Assert.DoesNotContain("Person e1", instances["pairflow"].State, StringComparison.Ordinal);
        Assert.Contains("\"cancelled\":true", instances["pairflow"].State, StringComparison.Ordinal);
        Assert.Equal(("Running", null), (instances["pollflow"].Status, instances["pollflow"].LeaseOwner));
        Assert.Equal($"Hello (erased) <{PrivacyService.Pseudonym("mentee@contoso.test")}>",
            System.Text.Json.Nodes.JsonNode.Parse(instances["pollflow"].State)!["variables"]!["Last"]!.GetValue<string>());
        Assert.Contains("Person m1", instances["pollflow"].State, StringComparison.Ordinal);
        Assert.Contains("someone@contoso.test", instances["otherflow"].State, StringComparison.Ordinal);
        Assert.Equal(["b2"], await check.Set<WorkflowBookmarkRecord>().Select(b => b.Id).ToListAsync());
        Assert.DoesNotContain("mentee@contoso.test", (await check.Set<WorkflowBookmarkRecord>().SingleAsync()).Payload, StringComparison.Ordinal);
        Assert.Empty(await check.Set<WorkflowInboxRecord>().ToListAsync());
        var journal = await check.Set<WorkflowJournalRecord>().AsNoTracking().ToDictionaryAsync(j => j.Id);
        Assert.Equal(("MentorFlow.SendEmail", null), (journal["j1"].ActivityType, journal["j1"].Message));
        Assert.Equal("(erased) could not be mailed", journal["j2"].Error);
        var incident = await check.Set<WorkflowIncidentRecord>().SingleAsync();
        Assert.Equal(("(erased)", null), (incident.Message, incident.Exception));
        _ = (mentor, mentee);
    }

    [Fact]
    public async Task Erase_CancelsUnsentMailToThemRedactsSentMailAndKeepsOtherRecipients()
    {
        var (_, pair, _, _) = await _f.ApprovedPairAsync();
        var now = MentoringFixture.Start;
        Contact[] them = [new("mentee@contoso.test", "Person e1")];
        Contact[] both = [new("mentor@contoso.test", "Person m1"), new("mentee@contoso.test", "Person e1")];
        await using (var db = _f.Factory.CreateDbContext())
        {
            db.Add(Instance("pairflow", pair.Id.ToString(), "{}", leased: false));
            db.Add(Mail("poll:announce:0:mentee@contoso.test", them, "Hello Person e1", now));
            db.Add(Sent(Mail("poll:invite:0:mentee@contoso.test", them, "Apply, Person e1", now), now));
            db.Add(Mail("poll:digest:0", both, "A note for Person m1 and Person e1", now));
            db.Add(Mail("pairflow:welcomeMentor:0", [both[0]], "Your mentee is Person e1", now));
            var series = GraphOutboxMessages.Series("pairflow:checkins:0", "mentoring@contoso.test",
                new SeriesRequest(new InviteRequest("Check-in", "<p>Person m1 and Person e1</p>", new DateTime(2026, 4, 1, 10, 0, 0), new DateTime(2026, 4, 1, 10, 30, 0),
                    "Europe/London", [new EmailContact("mentor@contoso.test", "Person m1"), new EmailContact("mentee@contoso.test", "Person e1")]),
                    RecurrenceCadence.EveryTwoWeeks, new DateOnly(2026, 9, 1)), now);
            Sent(series, now).EventId = "event-1";
            db.Add(series);
            db.Add(Mail("poll:unrelated:0", [new Contact("someone@contoso.test", "Some One")], "Hello Some One", now));
            await db.SaveChangesAsync();
        }

        var result = await _f.Privacy.EraseAsync("mentee@contoso.test", "manager");

        await using var check = _f.Factory.CreateDbContext();
        var rows = await check.Set<GraphOutboxMessage>().AsNoTracking().ToListAsync();
        var pseudonym = PrivacyService.Pseudonym("mentee@contoso.test");
        var announce = rows.Single(r => r.IdempotencyKey == $"poll:announce:0:{pseudonym}");
        Assert.Equal((GraphMessageStatus.Cancelled, GraphOutboxRedaction.ErasedCode), (announce.Status, announce.LastErrorCode));
        var invite = rows.Single(r => r.IdempotencyKey == $"poll:invite:0:{pseudonym}");
        Assert.Equal(GraphMessageStatus.Sent, invite.Status);
        Assert.Contains("\"subject\":\"(erased)\"", invite.Payload, StringComparison.Ordinal);
        var digest = rows.Single(r => r.IdempotencyKey == "poll:digest:0");
        Assert.Equal(GraphMessageStatus.Pending, digest.Status);
        Assert.Equal(["mentor@contoso.test"], GraphOutboxMessagesRead(digest).To.Select(t => t.Email));
        Assert.Equal("A note for Person m1 and (erased)", GraphOutboxMessagesRead(digest).Subject);
        Assert.Equal(GraphMessageStatus.Cancelled, rows.Single(r => r.IdempotencyKey == "pairflow:welcomeMentor:0").Status);
        var cancel = rows.Single(r => r.Kind == GraphMessageKind.CancelEvent);
        Assert.Equal((GraphMessageStatus.Pending, "event-1"), (cancel.Status, cancel.TargetEventId));
        Assert.Contains("Hello Some One", rows.Single(r => r.IdempotencyKey == "poll:unrelated:0").Payload, StringComparison.Ordinal);
        Assert.DoesNotContain(rows, r => r.Payload.Contains("mentee@contoso.test", StringComparison.OrdinalIgnoreCase)
            || r.Payload.Contains("Person e1", StringComparison.Ordinal) || r.IdempotencyKey.Contains("mentee@", StringComparison.Ordinal));
        Assert.Equal((2, 1, 1), (result.MessagesCancelled, result.RecipientRemoved, result.InvitesCancelled));
    }

    [Fact]
    public async Task Erase_OfAMentor_WithdrawsThemFromOpenMentorChoicesAndBlanksTheirReasons()
    {
        var (programme, pair, mentor, mentee) = await _f.ApprovedPairAsync();
        var other = await _f.Participation.AddAsync(programme.Id, MentoringFixture.ValidApplication("m2", "mentor", "other@contoso.test"), "manager");
        await using (var db = _f.Factory.CreateDbContext())
        {
            db.Add(new MentorChoice
            {
                ProgrammeId = programme.Id,
                MenteeId = mentee.Id,
                OfferedAt = MentoringFixture.Start,
                ChooseBy = MentoringFixture.Start.AddDays(7),
                Candidates = [new MentorCandidate(mentor.Id, 0.9, "both speak about Person m1's team"), new MentorCandidate(other.Id, 0.7, "shared interests")],
            });
            await db.SaveChangesAsync();
        }

        await _f.Privacy.EraseAsync("mentor@contoso.test", "manager");

        await using var check = _f.Factory.CreateDbContext();
        var choice = await check.Set<MentorChoice>().SingleAsync();
        Assert.Equal(MentorChoiceStatus.Open, choice.Status);
        Assert.Equal([other.Id], choice.Candidates.Select(c => c.MentorId));
        Assert.Equal(PairStatus.Declined, (await check.Set<Pair>().SingleAsync(p => p.Id == pair.Id)).Status);
    }

    [Fact]
    public async Task Export_ListsTheFlowsAboutThePersonAndTheMailToThem()
    {
        var (_, pair, _, _) = await _f.ApprovedPairAsync();
        await using (var db = _f.Factory.CreateDbContext())
        {
            db.Add(Instance("pairflow", pair.Id.ToString(), "{}", leased: false));
            db.Add(Instance("pollflow", Guid.NewGuid().ToString(), """{"variables":{"To":"mentee@contoso.test"}}""", leased: false));
            db.Add(Instance("otherflow", Guid.NewGuid().ToString(), "{}", leased: false));
            db.Add(Mail("poll:announce:0:mentee@contoso.test", [new Contact("mentee@contoso.test", "Person e1")], "Hello Person e1", MentoringFixture.Start));
            db.Add(Mail("poll:announce:0:someone@contoso.test", [new Contact("someone@contoso.test", "Some One")], "Hello Some One", MentoringFixture.Start));
            await db.SaveChangesAsync();
        }

        var export = await _f.Privacy.ExportAsync("mentee@contoso.test", "manager");

        Assert.Equal(["pairflow", "pollflow"], export.Flows.Select(f => f.InstanceId).Order(StringComparer.Ordinal));
        var message = Assert.Single(export.Messages);
        Assert.Equal(("SendMail", "Pending"), (message.Kind, message.Status));
        Assert.Equal("Hello Person e1", message.Request!["subject"]!.GetValue<string>());
    }

    private sealed record Contact(string Email, string Name);

    private static MailRequest GraphOutboxMessagesRead(GraphOutboxMessage row) =>
        System.Text.Json.JsonSerializer.Deserialize<MailRequest>(row.Payload, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;

    private static GraphOutboxMessage Mail(string key, IReadOnlyList<Contact> to, string subject, DateTimeOffset now) =>
        GraphOutboxMessages.Mail(key, "mentoring@contoso.test", new MailRequest([.. to.Select(t => new EmailContact(t.Email, t.Name))], subject, $"<p>{subject}</p>"), now);

    private static GraphOutboxMessage Sent(GraphOutboxMessage row, DateTimeOffset now)
    {
        row.Status = GraphMessageStatus.Sent;
        row.SentAt = now;
        return row;
    }

    private static WorkflowInstanceRecord Instance(string id, string correlation, string state, bool leased) => new()
    {
        Id = id,
        DefinitionId = "flow",
        DefinitionVersionId = "flow-1",
        CorrelationId = correlation,
        State = state,
        Status = "Running",
        SubStatus = "Suspended",
        HasPendingWork = state.Contains("queue", StringComparison.Ordinal),
        LeaseOwner = leased ? "executor" : null,
        LeaseExpiresAt = leased ? long.MaxValue : 0,
        CreatedAt = MentoringFixture.Start,
        UpdatedAt = MentoringFixture.Start,
    };

    [Fact]
    public async Task Erase_WithMalformedAddress_NamesEmail()
    {
        var problem = await Assert.ThrowsAsync<MentoringProblemException>(() => _f.Privacy.EraseAsync("nobody", "manager"));

        Assert.Equal(["email"], problem.Errors.Keys);
    }
}
