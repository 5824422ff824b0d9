using MentorFlow.Reporting.Data;

namespace MentorFlow.Reporting.Tests.Data;

internal static class TestData
{
    public static Application Application(
        string id,
        Role role,
        string[]? interests = null,
        string careerPath = "software-engineering",
        string[]? goals = null,
        string[]? expertise = null,
        int seniority = 5,
        string timeZone = "Europe/London",
        ProgrammeLength length = ProgrammeLength.SixToNine,
        string[]? languages = null,
        string[]? communication = null,
        double? hours = null,
        int capacity = 1,
        string? statement = null) =>
        new()
        {
            Id = id,
            Role = role,
            Name = id,
            Email = $"{id}@example.org",
            TimeZone = timeZone,
            Interests = interests ?? ["data-science"],
            CareerPath = careerPath,
            Goals = goals ?? ["leadership"],
            Expertise = expertise ?? [],
            SeniorityYears = seniority,
            PreferredLength = length,
            Languages = languages ?? ["en"],
            Communication = communication ?? ["video"],
            HoursPerMonth = hours,
            Capacity = role == Role.Mentor ? capacity : 0,
            Statement = statement,
        };
}
