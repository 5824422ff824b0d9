namespace MentorFlow.Reporting.Synthesis;

/// <summary>The vocabularies synthetic applications draw from.</summary>
internal static class SyntheticCatalogue
{
    public static readonly (string Path, double Weight)[] CareerPaths =
    [
        ("software-engineering", 14), ("backend-engineering", 5), ("frontend-engineering", 5), ("devops", 4), ("security", 3),
        ("engineering-management", 5), ("data-science", 8), ("data-engineering", 4), ("machine-learning", 5), ("analytics", 3),
        ("product-management", 7), ("ux-design", 4), ("ux-research", 2), ("project-management", 3), ("marketing", 4),
        ("sales", 3), ("finance", 2), ("entrepreneurship", 2), ("people-management", 3), ("recruiting", 2),
    ];

    public static readonly Dictionary<string, string[]> InterestsByFamily = new(StringComparer.Ordinal)
    {
        ["engineering"] = ["cloud", "architecture", "testing", "open-source", "distributed-systems", "security", "python", "dotnet", "performance"],
        ["data"] = ["data-science", "machine-learning", "statistics", "python", "visualisation", "ai-ethics", "experimentation"],
        ["product"] = ["product-strategy", "user-research", "design-systems", "roadmapping", "accessibility", "experimentation"],
        ["business"] = ["negotiation", "growth-marketing", "sales-strategy", "finance", "startups", "storytelling"],
        ["people"] = ["coaching", "hiring", "team-building", "diversity-and-inclusion", "feedback", "culture"],
    };

    public static readonly string[] GeneralInterests =
        ["public-speaking", "writing", "networking", "work-life-balance", "remote-work", "community", "teaching"];

    public static readonly string[] Goals =
    [
        "leadership", "public-speaking", "career-growth", "promotion", "technical-depth", "networking", "negotiation",
        "confidence", "work-life-balance", "management", "writing", "interviewing", "side-projects", "strategy",
    ];

    public static readonly (string Zone, double Weight, string? Language)[] TimeZones =
    [
        ("Europe/London", 18, null), ("Europe/Berlin", 14, "de"), ("Europe/Madrid", 5, "es"), ("America/New_York", 15, null),
        ("America/Chicago", 6, null), ("America/Los_Angeles", 10, null), ("America/Sao_Paulo", 5, "pt"), ("Asia/Kolkata", 10, "hi"),
        ("Asia/Singapore", 5, null), ("Asia/Tokyo", 3, "ja"), ("Australia/Sydney", 4, null), ("Africa/Lagos", 5, null),
    ];

    public static readonly string[] Communication = ["video", "phone", "chat", "email", "in-person"];

    public static readonly string[] MenteeStatements =
    [
        "I want to get better at {0} and would love guidance on {1}.",
        "After some time in {2} I am looking for someone to help me with {1} and {0}.",
        "Hoping to learn about {0}; my main goal is {1}.",
        "I am curious about {0} and need advice on {1} to move forward in {2}.",
    ];

    public static readonly string[] MentorStatements =
    [
        "I have spent years in {2} and enjoy helping people with {1}; I care a lot about {0}.",
        "Happy to share what I learned about {0} and {1}.",
        "Mentoring keeps me sharp: I can help with {1}, and {0} is my passion.",
        "Working in {2}, I can offer perspective on {0} and practical help with {1}.",
    ];

    public static readonly string[] Testimonials =
    [
        "My mentor helped me with {0} more than I expected. Thank you!",
        "A great programme: we met regularly and I made real progress on {0}.",
        "Mentoring gave me a fresh view on {0}; I would do it again.",
        "Clear goals, honest feedback and a lot of encouragement around {0}.",
    ];
}
