using MentorFlow.Mentoring.Domain;

namespace MentorFlow.Server.Mentoring;

/// <summary>Turns a refused domain request into an RFC 9457 problem naming the failing fields (400 / 404 / 409).</summary>
internal sealed class MentoringProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (MentoringProblemException problem)
        {
            return ToResult(problem);
        }
    }

    public static IResult ToResult(MentoringProblemException problem)
    {
        var errors = problem.Errors.ToDictionary(e => e.Key, e => e.Value);
        return problem.Status == StatusCodes.Status400BadRequest
            ? TypedResults.ValidationProblem(errors, title: problem.Title)
            : TypedResults.Problem(new HttpValidationProblemDetails(errors)
            {
                Status = problem.Status,
                Title = problem.Title,
                Detail = string.Join(" ", errors.SelectMany(e => e.Value)),
            });
    }
}

internal static class RequestText
{
    public const int MaxCsvBytes = 20 * 1024 * 1024;

    /// <summary>Reads a request body as UTF-8 text (CSV uploads), refusing oversized or empty bodies by field name.</summary>
    public static async Task<string> ReadAsync(HttpRequest request, string field, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxCsvBytes)
        {
            throw MentoringProblemException.Invalid(field, $"The file is larger than {MaxCsvBytes / 1024 / 1024} MB.");
        }

        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
        var buffer = new char[81920];
        var builder = new System.Text.StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            builder.Append(buffer, 0, read);
            if (builder.Length > MaxCsvBytes)
            {
                throw MentoringProblemException.Invalid(field, $"The file is larger than {MaxCsvBytes / 1024 / 1024} MB.");
            }
        }

        var text = builder.ToString();
        return string.IsNullOrWhiteSpace(text) ? throw MentoringProblemException.Invalid(field, "The body is empty: send the CSV file as the request body.") : text;
    }
}

