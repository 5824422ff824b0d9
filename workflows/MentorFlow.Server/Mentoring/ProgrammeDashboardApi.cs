using System.Globalization;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Server.Security;

namespace MentorFlow.Server.Mentoring;

/// <summary><c>GET /api/programmes/{id}/dashboard</c>: the programme page's figures in one document; managers only.</summary>
public static class ProgrammeDashboardApi
{
    public static IEndpointRouteBuilder MapProgrammeDashboardApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/programmes").WithTags("Programmes")
            .RequireAuthorization(ManagerAuthenticationExtensions.ManagerPolicy)
            .AddEndpointFilter<MentoringProblemFilter>()
            .MapGet("/{id:guid}/dashboard", async (Guid id, string? asOf, ProgrammeDashboardService dashboard, CancellationToken ct) =>
                TypedResults.Ok(await dashboard.BuildAsync(id, ParseDate(asOf), ct)))
            .WithName("GetProgrammeDashboard")
            .WithSummary("Poll balance, funnel, matches, active pairs, the reporting metrics, testimonials and workflow incidents of a programme.")
            .WithDescription("asOf (yyyy-MM-dd, optional) is the reporting date; default: today in the programme's time zone.");
        return app;
    }

    private static DateOnly? ParseDate(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? null
            : DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : throw MentoringProblemException.Invalid("asOf", "Use a date written yyyy-MM-dd, e.g. 2026-11-02.");
}
