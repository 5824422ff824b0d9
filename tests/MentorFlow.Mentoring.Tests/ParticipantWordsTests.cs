using MentorFlow.Mentoring.Domain;

namespace MentorFlow.Mentoring.Tests;

/// <summary>What participants read about their match and partnership: plain words in the programme's language.</summary>
public sealed class ParticipantWordsTests
{
    [Fact]
    public void WhyMatched_SaysSharedInterestsFieldGoalsAndTimeZone_InPlainEnglish()
    {
        var why = ParticipantWords.For("en").WhyMatched(
            Person("Ana", "engineering-management", "Europe/London", interests: ["sql", "data-quality"], expertise: ["leadership"]),
            Person("Ben", "engineering-management", "Europe/Lisbon", interests: ["data-quality", "sql", "python"], goals: ["leadership", "public-speaking"]));

        Assert.Equal(
        [
            "You are both interested in data quality and sql.",
            "You work in the same field: engineering management.",
            "The mentor's experience covers leadership, which the mentee wants to develop.",
            "You are in the same time zone.",
        ], why);
    }

    [Fact]
    public void WhyMatched_InSpanish_AndNeverEmpty()
    {
        var spanish = ParticipantWords.For("es").WhyMatched(
            Person("Ana", "data", "Europe/Madrid", interests: ["sql"]), Person("Ben", "design", "America/New_York", interests: ["sql"]));
        var nothingShared = ParticipantWords.For("en").WhyMatched(
            Person("Ana", "data", "Asia/Tokyo", interests: ["sql"]), Person("Ben", "design", "America/New_York", interests: ["art"]));

        Assert.Equal(["A los dos os interesa sql."], spanish);
        Assert.Equal(["The programme team thinks you will work well together."], nothingShared);
    }

    [Theory]
    [InlineData("en", MeetingFrequency.EveryTwoWeeks, "every two weeks", "3 June 2027", "video call")]
    [InlineData("es", MeetingFrequency.EveryTwoWeeks, "cada dos semanas", "3 de junio de 2027", "videollamada")]
    [InlineData("fr", MeetingFrequency.Weekly, "every week", "3 June 2027", "video call")]
    public void PartnershipWords_AreWordsNotCodes(string language, MeetingFrequency frequency, string often, string until, string how)
    {
        var words = ParticipantWords.For(language);

        Assert.Equal(often, words.Frequency(frequency));
        Assert.Equal(until, words.Date(new DateOnly(2027, 6, 3)));
        Assert.Equal(how, words.Communication("video"));
    }

    [Fact]
    public void DateTime_IsInTheProgrammesTimeZone()
    {
        var madrid = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid");

        var text = ParticipantWords.For("es").DateTime(new DateTimeOffset(2026, 11, 8, 9, 0, 0, TimeSpan.Zero), madrid);

        Assert.Equal("domingo 8 de noviembre de 2026, 10:00", text);
    }

    [Fact]
    public void EveryText_IsInBothLanguages_WithTheSamePlaceholders()
    {
        var english = ParticipantWords.For("en").Own();
        var spanish = ParticipantWords.For("es").Own();

        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), spanish.Keys.Order(StringComparer.Ordinal));
        Assert.All(english, e => Assert.Equal(Placeholders(e.Value), Placeholders(spanish[e.Key])));
    }

    [Theory]
    [InlineData("en", "The target date must be on or before the end of the partnership (3 June 2027).", "Choose at most 20 (you chose 23).")]
    [InlineData("es", "La fecha objetivo debe ser como muy tarde el final de la mentoría (3 de junio de 2027).", "Elige como máximo 20 (has elegido 23).")]
    public void ValidationMessages_ReadInTheProgrammesLanguage_WithDatesInItsWords(string language, string afterEnd, string tooMany)
    {
        var words = ParticipantWords.For(language);

        Assert.Equal(afterEnd, new ParticipantMessage("Invalid.Goal.DateAfterEnd", new DateOnly(2027, 6, 3)).In(words));
        Assert.Equal(tooMany, new ParticipantMessage("Invalid.List.TooMany", 20, 23).In(words));
    }

    private static string[] Placeholders(string text) =>
        [.. System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+\}").Select(m => m.Value).Order(StringComparer.Ordinal)];

    private static Application Person(string name, string careerPath, string timeZone, List<string>? interests = null, List<string>? goals = null, List<string>? expertise = null) => new()
    {
        Name = name,
        Email = $"{name.ToLowerInvariant()}@c.test",
        TimeZone = timeZone,
        CareerPath = careerPath,
        Interests = interests ?? [],
        Goals = goals ?? [],
        Expertise = expertise ?? [],
        ExternalId = name,
    };
}
