using System.Globalization;
using System.Net;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Mentoring.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Mentoring.Activities;

/// <summary>What flows read about a pair (a plain dictionary so Liquid and JavaScript see its members).</summary>
internal static class PairData
{
    public static async Task<Dictionary<string, object?>?> LoadAsync(IServiceProvider services, Guid pairId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var database = services.GetRequiredService<IMentoringDb>();
        await using var db = await database.CreateAsync(cancellationToken);
        var pair = await db.Set<Pair>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == pairId, cancellationToken);
        if (pair is null)
        {
            return null;
        }

        var programme = await db.Set<Programme>().AsNoTracking().FirstAsync(p => p.Id == pair.ProgrammeId, cancellationToken);
        var people = await db.Set<Application>().AsNoTracking().Where(a => a.Id == pair.MentorId || a.Id == pair.MenteeId).ToListAsync(cancellationToken);
        var mentor = people.Single(a => a.Id == pair.MentorId);
        var mentee = people.Single(a => a.Id == pair.MenteeId);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(programme.TimeZone);
        var start = pair.StartDate ?? PartnershipService.Today(programme, now);
        var end = pair.EndDate ?? start.AddMonths((pair.Length ?? mentee.PreferredLength).Months());
        DateTimeOffset At(DateOnly date, int hour)
        {
            var local = date.ToDateTime(new TimeOnly(hour, 0));
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }

        var kickOff = NextWeekday(start.AddDays(programme.KickOffDays + 1));
        var firstCheckIn = NextWeekday(start.AddDays(14));
        var frequency = pair.MeetingFrequency ?? programme.DefaultMeetingFrequency;
        var words = ParticipantWords.For(programme.Language);
        var resources = string.Concat(programme.Resources.Select(r => $"<li><a href=\"{WebUtility.HtmlEncode(r.Url)}\">{WebUtility.HtmlEncode(r.Title)}</a></li>"));
        return new Dictionary<string, object?>
        {
            ["PairId"] = pair.Id.ToString(),
            ["ProgrammeId"] = programme.Id.ToString(),
            ["ProgrammeName"] = programme.Name,
            ["Organizer"] = programme.OrganizerMailbox,
            ["TimeZone"] = programme.TimeZone,
            ["MentorName"] = mentor.Name,
            ["MentorEmail"] = mentor.Email,
            ["MenteeName"] = mentee.Name,
            ["MenteeEmail"] = mentee.Email,
            ["Attendees"] = $"{mentor.Email};{mentee.Email}",
            ["Status"] = pair.Status.ToString(),
            ["MentorConfirmed"] = pair.MentorConfirmedAt is not null,
            ["MenteeConfirmed"] = pair.MenteeConfirmedAt is not null,
            ["PolicyVersion"] = pair.PolicyVersion,
            ["Cadence"] = frequency.ToString(),
            ["Frequency"] = frequency.Format(),
            ["Communication"] = pair.Communication ?? programme.DefaultCommunication,
            ["StartDate"] = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["EndDate"] = end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["EndDateText"] = words.Date(end),
            ["FrequencyText"] = words.Frequency(frequency),
            ["CommunicationText"] = words.Communication(pair.Communication ?? programme.DefaultCommunication),
            ["KickOffAt"] = kickOff.ToDateTime(new TimeOnly(10, 0)).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            ["KickOffTimeout"] = TimeSpan.FromDays(programme.KickOffDays).ToString("c", CultureInfo.InvariantCulture),
            ["ConfirmationTimeout"] = TimeSpan.FromDays(programme.ConfirmationDays).ToString("c", CultureInfo.InvariantCulture),
            ["FirstCheckIn"] = firstCheckIn.ToDateTime(new TimeOnly(10, 0)).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            ["MidPointAt"] = At(start.AddDays((end.DayNumber - start.DayNumber) / 2), 9).ToString("O", CultureInfo.InvariantCulture),
            ["EndAt"] = At(end, 9).ToString("O", CultureInfo.InvariantCulture),
            ["UntilEnd"] = (At(end, 9) - now > TimeSpan.Zero ? At(end, 9) - now : TimeSpan.Zero).ToString("c", CultureInfo.InvariantCulture),
            ["ResourcesHtml"] = resources.Length == 0 ? "" : $"<ul>{resources}</ul>",
        };
    }

    private static DateOnly NextWeekday(DateOnly date) =>
        date.DayOfWeek switch { DayOfWeek.Saturday => date.AddDays(2), DayOfWeek.Sunday => date.AddDays(1), _ => date };
}
