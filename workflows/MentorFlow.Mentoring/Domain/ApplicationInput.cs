using MentorFlow.Reporting.Data;

namespace MentorFlow.Mentoring.Domain;

/// <summary>
/// An application as submitted (API JSON, participant form or one applications.csv row), before validation.
/// Field names in errors are the applications.csv column names (docs/data-formats.md).
/// </summary>
public sealed record ApplicationInput
{
    public string? Id { get; init; }
    public string? Role { get; init; }
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? TimeZone { get; init; }
    public IReadOnlyList<string>? Interests { get; init; }
    public string? CareerPath { get; init; }
    public IReadOnlyList<string>? Goals { get; init; }
    public IReadOnlyList<string>? Expertise { get; init; }
    public int? SeniorityYears { get; init; }
    public decimal? HoursPerMonth { get; init; }
    public string? PreferredLength { get; init; }
    public IReadOnlyList<string>? Communication { get; init; }
    public IReadOnlyList<string>? Languages { get; init; }
    public int? Capacity { get; init; }
    public string? Statement { get; init; }
}

/// <summary>Field-level validation of an application, shared by the API, the form and CSV import.</summary>
public static class ApplicationValidator
{
    public const int MaxStatement = 4000;

    /// <summary>The most tags one list (interests, goals, expertise, languages) may hold.</summary>
    public const int MaxTags = 20;

    /// <summary>
    /// Validates <paramref name="input"/> against the programme's offer and returns the entity (not yet saved), or
    /// adds messages keyed by applications.csv column names to <paramref name="errors"/> and returns null.
    /// </summary>
    public static Application? Validate(ApplicationInput input, Programme programme, FieldErrors errors, Func<string> newId)
    {
        var before = errors.MessageCount;
        var id = input.Id?.Trim();
        if (id is { Length: > 100 })
        {
            errors.Add("id", "The id must be at most 100 characters.");
        }
        else if (id is not null && id.Length > 0 && id.Any(char.IsWhiteSpace))
        {
            errors.Add("id", "The id must not contain spaces.");
        }

        ParticipantRole role = default;
        if (string.IsNullOrWhiteSpace(input.Role))
        {
            errors.Add("role", "The role is required: 'mentor' or 'mentee'.", new("Invalid.Role"));
        }
        else if (!Vocabulary.TryParseRole(input.Role, out role))
        {
            errors.Add("role", $"'{input.Role}' is not a role: use 'mentor' or 'mentee'.", new("Invalid.Role"));
        }

        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add("name", "The name is required.", new("Invalid.Name.Required"));
        }
        else if (name.Length > 200)
        {
            errors.Add("name", "The name must be at most 200 characters.", new("Invalid.Name.TooLong", 200));
        }

        var email = input.Email?.Trim() ?? "";
        if (email.Length == 0)
        {
            errors.Add("email", "The email address is required.", new("Invalid.Email"));
        }
        else if (!Vocabulary.IsEmail(email))
        {
            errors.Add("email", $"'{email}' is not a valid email address.", new("Invalid.Email"));
        }

        var timeZone = input.TimeZone?.Trim() ?? "";
        if (timeZone.Length == 0)
        {
            errors.Add("time_zone", "The time zone is required (an IANA id such as Europe/London).", new("Invalid.TimeZone"));
        }
        else if (!Vocabulary.IsIanaTimeZone(timeZone))
        {
            errors.Add("time_zone", $"'{timeZone}' is not an IANA time zone id (e.g. Europe/London).", new("Invalid.TimeZone"));
        }

        var interests = Vocabulary.Tags(input.Interests);
        if (interests.Count == 0)
        {
            errors.Add("interests", "At least one interest is required.", new("Invalid.Interests.Required"));
        }

        var careerPath = Vocabulary.Tags(input.CareerPath is null ? null : [input.CareerPath]);
        if (careerPath.Count == 0)
        {
            errors.Add("career_path", "The career path is required (one tag, e.g. engineering-management).", new("Invalid.CareerPath.Required"));
        }
        else if (careerPath[0].Contains(';', StringComparison.Ordinal))
        {
            errors.Add("career_path", "The career path is one tag, not a list.", new("Invalid.CareerPath.One"));
        }

        var goals = Vocabulary.Tags(input.Goals);
        if (goals.Count == 0)
        {
            errors.Add("goals", "At least one goal is required.", new("Invalid.Goals.Required"));
        }

        foreach (var (field, tags) in new[] { ("interests", interests), ("goals", goals), ("expertise", Vocabulary.Tags(input.Expertise)), ("languages", Vocabulary.Tags(input.Languages)) })
        {
            if (tags.Count > MaxTags)
            {
                errors.Add(field, $"At most {MaxTags} entries ({tags.Count} sent).", new("Invalid.List.TooMany", MaxTags, tags.Count));
            }

            if (tags.Any(tag => tag.Length > 60))
            {
                errors.Add(field, "Each tag must be at most 60 characters.", new("Invalid.List.TooLong", 60));
            }
        }

        if (careerPath.Count > 0 && careerPath[0].Length > 60)
        {
            errors.Add("career_path", "The career path must be at most 60 characters.", new("Invalid.CareerPath.TooLong", 60));
        }

        if (input.SeniorityYears is null)
        {
            errors.Add("seniority_years", "The years of seniority are required (a whole number ≥ 0).", new("Invalid.Seniority.Required"));
        }
        else if (input.SeniorityYears is < 0 or > 70)
        {
            errors.Add("seniority_years", "The years of seniority must be between 0 and 70.", new("Invalid.Seniority.Range", 0, 70));
        }

        if (input.HoursPerMonth is { } hours && (hours <= 0 || hours > 200))
        {
            errors.Add("hours_per_month", "Hours per month must be more than 0 and at most 200.", new("Invalid.Hours.Range", 200));
        }

        ProgrammeLength length = default;
        if (string.IsNullOrWhiteSpace(input.PreferredLength))
        {
            errors.Add("preferred_length", "The preferred length is required: '3-6', '6-9' or '9-12'.", new("Invalid.Length.Required"));
        }
        else if (!Vocabulary.TryParseLength(input.PreferredLength, out length))
        {
            errors.Add("preferred_length", $"'{input.PreferredLength}' is not a length: use '3-6', '6-9' or '9-12'.", new("Invalid.Length.Required"));
        }
        else if (programme.LengthOptions.Count > 0 && !programme.LengthOptions.Contains(length))
        {
            var offered = string.Join(", ", programme.LengthOptions.Select(o => o.Format()));
            errors.Add("preferred_length", $"This programme offers {offered} months.", new("Invalid.Length.NotOffered", offered));
        }

        var communication = Vocabulary.Tags(input.Communication);
        var unknown = communication.Where(method => !Vocabulary.CommunicationMethods.Contains(method)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add("communication",
                $"Unknown method(s) {string.Join(", ", unknown)}: use {string.Join(", ", Vocabulary.CommunicationMethods)}.", new("Invalid.Communication"));
        }

        var languages = Vocabulary.Tags(input.Languages);
        var badLanguages = languages.Where(code => !Vocabulary.IsLanguage(code)).ToList();
        if (badLanguages.Count > 0)
        {
            errors.Add("languages", $"Not ISO 639-1 language codes: {string.Join(", ", badLanguages)} (e.g. en;es).", new("Invalid.Languages", string.Join(", ", badLanguages)));
        }

        int? capacity = null;
        if (role == ParticipantRole.Mentor && input.Role is not null && Vocabulary.TryParseRole(input.Role, out _))
        {
            if (input.Capacity is null)
            {
                errors.Add("capacity", "Mentors say how many mentees they take (1 or more).", new("Invalid.Capacity.Required"));
            }
            else if (input.Capacity is < 1 or > 20)
            {
                errors.Add("capacity", "The capacity must be between 1 and 20 mentees.", new("Invalid.Capacity.Range", 1, 20));
            }
            else
            {
                capacity = input.Capacity;
            }
        }

        var statement = input.Statement?.Trim() ?? "";
        if (statement.Length > MaxStatement)
        {
            errors.Add("statement", $"The statement must be at most {MaxStatement} characters.", new("Invalid.Text.TooLong", MaxStatement));
        }

        if (errors.MessageCount > before)
        {
            return null;
        }

        return new Application
        {
            Id = Guid.NewGuid(),
            ProgrammeId = programme.Id,
            ExternalId = string.IsNullOrEmpty(id) ? newId() : id,
            Role = role,
            Name = name,
            Email = Vocabulary.NormalizeEmail(email),
            TimeZone = timeZone,
            Interests = interests,
            CareerPath = careerPath[0],
            Goals = goals,
            Expertise = Vocabulary.Tags(input.Expertise),
            SeniorityYears = input.SeniorityYears!.Value,
            HoursPerMonth = input.HoursPerMonth,
            PreferredLength = length,
            Communication = communication,
            Languages = languages,
            Capacity = capacity,
            Statement = statement,
        };
    }
}
