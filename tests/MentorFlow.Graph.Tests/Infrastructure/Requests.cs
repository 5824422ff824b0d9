using MentorFlow.Graph.Model;

namespace MentorFlow.Graph.Tests.Infrastructure;

internal static class Requests
{
    public static InviteRequest Invite(
        string attendee = "mentee@contoso.test",
        DateTime? start = null,
        int minutes = 30,
        string timeZone = "Europe/Berlin",
        bool teams = false,
        string subject = "Kick-off") =>
        new(subject, "<p>Welcome to the programme</p>", start ?? new DateTime(2026, 3, 2, 9, 0, 0),
            (start ?? new DateTime(2026, 3, 2, 9, 0, 0)).AddMinutes(minutes), timeZone,
            [new EmailContact(attendee, "Mentee"), new EmailContact("mentor@contoso.test", "Mentor")], "Room 1", teams);

    public static MailRequest Mail(string to = "mentee@contoso.test") =>
        new([new EmailContact(to, "Mentee")], "Welcome", "<h1>Welcome</h1><p>Resources inside.</p>",
            ReplyTo: [new EmailContact("programme@contoso.test", "Programme team")]);
}
