using MentorFlow.Graph.Model;
using MentorFlow.Graph.Outbox;
using MentorFlow.Graph.Tests.Infrastructure;

namespace MentorFlow.Graph.Tests;

public sealed class ValidationTests
{
    private static readonly DateTimeOffset Now = new(2026, 2, 1, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Europe/Berlin", "W. Europe Standard Time")]
    [InlineData("America/New_York", "Eastern Standard Time")]
    [InlineData("Asia/Kolkata", "India Standard Time")]
    [InlineData("Etc/UTC", "UTC")]
    [InlineData("Pacific Standard Time", "Pacific Standard Time")]
    public void ToGraph_IanaId_GivesTheWindowsIdGraphAccepts(string iana, string windows) =>
        Assert.Equal(windows, GraphTimeZones.ToGraph(iana));

    [Theory]
    [InlineData("W. Europe Standard Time", "Europe/Berlin")]
    [InlineData("Eastern Standard Time", "America/New_York")]
    [InlineData("GMT Standard Time", "Europe/London")]
    [InlineData("Europe/Paris", "Europe/Paris")]
    public void FromGraph_WindowsId_GivesTheIanaId(string windows, string iana) =>
        Assert.Equal(iana, GraphTimeZones.FromGraph(windows));

    [Fact]
    public void ToGraph_UnknownZone_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => GraphTimeZones.ToGraph("Mars/Olympus"));
        Assert.Contains("Mars/Olympus", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invite_WithInvalidEmail_IsRejectedNamingTheAttendee()
    {
        var invite = Requests.Invite() with { Attendees = [new EmailContact("ok@contoso.test"), new EmailContact("bad@@contoso")] };

        var error = Assert.Throws<GraphValidationException>(() => GraphOutboxMessages.Invite("k", SandboxServer.Organizer, invite, Now));

        Assert.Equal(["attendees[1].email"], error.Errors.Keys);
    }

    [Fact]
    public void Invite_EndingBeforeItStarts_IsRejectedOnEnd()
    {
        var invite = Requests.Invite() with { End = new DateTime(2026, 3, 2, 8, 0, 0) };

        var error = Assert.Throws<GraphValidationException>(() => GraphOutboxMessages.Invite("k", SandboxServer.Organizer, invite, Now));

        Assert.Contains("end", error.Errors.Keys);
    }

    [Fact]
    public void Invite_WithUnknownTimeZone_IsRejectedOnTimeZone()
    {
        var error = Assert.Throws<GraphValidationException>(() =>
            GraphOutboxMessages.Invite("k", SandboxServer.Organizer, Requests.Invite(timeZone: "Nowhere/Town"), Now));

        Assert.Contains("timeZone", error.Errors.Keys);
    }

    [Fact]
    public void Series_EndingBeforeItStarts_IsRejectedOnEndDate()
    {
        var series = new SeriesRequest(Requests.Invite(), RecurrenceCadence.Weekly, new DateOnly(2026, 3, 1));

        var error = Assert.Throws<GraphValidationException>(() => GraphOutboxMessages.Series("k", SandboxServer.Organizer, series, Now));

        Assert.Contains("before it starts", Assert.Single(error.Errors["endDate"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Series_EndingAfterTheProgramme_IsRejectedOnEndDate()
    {
        var series = new SeriesRequest(Requests.Invite(), RecurrenceCadence.EveryTwoWeeks, new DateOnly(2026, 9, 1), new DateOnly(2026, 8, 31));

        var error = Assert.Throws<GraphValidationException>(() => GraphOutboxMessages.Series("k", SandboxServer.Organizer, series, Now));

        Assert.Contains("after the programme ends", Assert.Single(error.Errors["endDate"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a mailbox")]
    public void Mail_WithoutAValidOrganizerMailbox_IsRejectedOnOrganizerMailbox(string? mailbox)
    {
        var error = Assert.Throws<GraphValidationException>(() => GraphOutboxMessages.Mail("k", mailbox, Requests.Mail(), Now));

        Assert.Equal(["organizerMailbox"], error.Errors.Keys);
    }

    [Fact]
    public void Mail_WithoutRecipients_IsRejectedOnTo()
    {
        var error = Assert.Throws<GraphValidationException>(() =>
            GraphOutboxMessages.Mail("k", SandboxServer.Organizer, Requests.Mail() with { To = [] }, Now));

        Assert.Contains("to", error.Errors.Keys);
    }

    [Fact]
    public void Update_WithoutATarget_IsRejectedOnInviteKey()
    {
        var error = Assert.Throws<GraphValidationException>(() =>
            GraphOutboxMessages.Update("k", SandboxServer.Organizer, null, null, new InviteUpdate(Subject: "New"), Now));

        Assert.Equal(["inviteKey"], error.Errors.Keys);
    }

    [Theory]
    [InlineData("Tenant", null, "8f0c4c1e-1111-4a4a-9b9b-123456789abc", "secret", "Graph:OrganizerMailbox")]
    [InlineData("Tenant", "organizer@contoso.test", null, "secret", "Graph:TenantId")]
    [InlineData("Tenant", "organizer@contoso.test", "8f0c4c1e-1111-4a4a-9b9b-123456789abc", null, "Graph:ClientSecret or Graph:CertificatePath")]
    [InlineData("Outlook", "organizer@contoso.test", null, null, "Graph:Mode")]
    public void Options_MissingOrInvalidSetting_FailNamingTheSetting(string mode, string? mailbox, string? tenant, string? secret, string setting)
    {
        var options = new GraphOptions
        {
            Mode = mode,
            OrganizerMailbox = mailbox,
            TenantId = tenant,
            ClientId = tenant,
            ClientSecret = secret,
        };

        var result = new GraphOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(setting, StringComparison.Ordinal));
    }

    [Fact]
    public void Options_TenantWithSecret_AreValid()
    {
        var options = new GraphOptions
        {
            Mode = "Tenant",
            OrganizerMailbox = "organizer@contoso.test",
            TenantId = "8f0c4c1e-1111-4a4a-9b9b-123456789abc",
            ClientId = "0a1b2c3d-1111-4a4a-9b9b-123456789abc",
            ClientSecret = "secret",
        };

        Assert.True(new GraphOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(1, 9_000, 4)]
    [InlineData(3, 3_000, 1)]
    [InlineData(2, 4_500, 2)]
    public void Replicas_EachPaceAtTheirShareOfTheMailboxLimits(int replicas, int requests, int concurrent)
    {
        var dispatcher = new GraphDispatcherOptions { Replicas = replicas };

        Assert.Equal((requests, concurrent), (dispatcher.RequestsPerWindowPerReplica, dispatcher.MaxConcurrentPerReplica));
    }

    [Fact]
    public void Replicas_LeavingEachLessThanABatchPerWindow_FailNamingTheSettings()
    {
        var options = new GraphOptions { Dispatcher = { RequestsPerWindow = 100, Replicas = 8 } };

        var result = new GraphOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Graph:Dispatcher:Replicas (8)", StringComparison.Ordinal));
    }
}
