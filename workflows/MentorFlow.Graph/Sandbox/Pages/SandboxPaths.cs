using System.Globalization;

namespace MentorFlow.Graph.Sandbox.Pages;

/// <summary>The addresses of the sandbox's pages (every part from a participant escaped).</summary>
public static class SandboxPaths
{
    public static string Mailbox(string address) => $"/mailbox/{Uri.EscapeDataString(address)}";

    public static string Calendar(string address) => $"{Mailbox(address)}/calendar";

    public static string Calendar(string address, CalendarSpan span, DateOnly date, string? zone) =>
        $"{Calendar(address)}?view={(span == CalendarSpan.Week ? "week" : "month")}&date={date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"
        + (zone is null ? string.Empty : $"&zone={Uri.EscapeDataString(zone)}");

    public static string MessageBody(string address, string id) => $"{Mailbox(address)}/messages/{Uri.EscapeDataString(id)}/body";

    public static string EventBody(string address, string id) => $"{Mailbox(address)}/events/{Uri.EscapeDataString(id)}/body";

    /// <summary>An invite's page, opened from the calendar on the occurrence of <paramref name="date"/> shown in <paramref name="zone"/>.</summary>
    public static string Event(string address, string id, DateOnly date, string? zone) =>
        $"{Mailbox(address)}/events/{Uri.EscapeDataString(id)}?date={date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"
        + (zone is null ? string.Empty : $"&zone={Uri.EscapeDataString(zone)}");

    public static string Ics(string address, string id) => $"{Mailbox(address)}/events/{Uri.EscapeDataString(id)}.ics";
}
