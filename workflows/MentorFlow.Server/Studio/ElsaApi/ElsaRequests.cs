using System.Globalization;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Server.Studio.ElsaApi;

/// <summary>Query-string reading the way the Studio's Refit client writes it (keys in any case, repeated keys, <c>True</c>).</summary>
internal static class ElsaRequests
{
    public static string? Text(HttpRequest request, string key) =>
        request.Query.TryGetValue(key, out var values) && values.Count > 0 && !string.IsNullOrWhiteSpace(values[^1]) ? values[^1]!.Trim() : null;

    public static IReadOnlyList<string>? List(HttpRequest request, string key)
    {
        if (!request.Query.TryGetValue(key, out var values))
        {
            return null;
        }

        var items = values.SelectMany(value => (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        return items.Count == 0 ? null : items;
    }

    /// <summary>Parses an optional integer; a present but malformed or out-of-range value is an error naming the key.</summary>
    public static bool TryInt(HttpRequest request, string key, int min, out int? value, Dictionary<string, string[]> errors)
    {
        value = null;
        var text = Text(request, key);
        if (text is null)
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= min)
        {
            value = parsed;
            return true;
        }

        errors[key] = [$"'{text}' is not a whole number ≥ {min}."];
        return false;
    }

    public static bool TryBool(HttpRequest request, string key, out bool? value, Dictionary<string, string[]> errors)
    {
        value = null;
        var text = Text(request, key);
        if (text is null)
        {
            return true;
        }

        if (bool.TryParse(text, out var parsed))
        {
            value = parsed;
            return true;
        }

        errors[key] = [$"'{text}' is not true or false."];
        return false;
    }

    /// <summary>VersionOptions from the query; absent or empty gives <paramref name="fallback"/>.</summary>
    public static bool TryVersionOptions(string? text, VersionOptions? fallback, out VersionOptions? options, Dictionary<string, string[]> errors)
    {
        options = fallback;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (VersionOptions.TryParse(text, out var parsed))
        {
            options = parsed;
            return true;
        }

        errors["versionOptions"] =
            [$"'{text}' is not a version option; use Latest, Published, LatestOrPublished, LatestAndPublished, Draft, AllVersions or a version number."];
        return false;
    }

    public static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid.");

    /// <summary>
    /// A start whose input (with the flow's initial variables) would make an instance state over
    /// <c>Workflows:MaxStateBytes</c>: nothing was written; the problem names <c>input</c> and the setting.
    /// </summary>
    public static ValidationProblem InputTooLarge(WorkflowStateTooLargeException exception) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["input"] = [$"The input is too large to start the workflow: {exception.Message} Nothing was started."],
            },
            title: "The workflow input is too large.");

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: what);

    /// <summary>Validation errors as problem-details errors, keyed "activityId.input" (or "definition"), as the Studio shows them.</summary>
    public static Dictionary<string, string[]> ToErrors(IEnumerable<ValidationError> errors) =>
        errors.GroupBy(Key, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Select(error => error.Message).ToArray(), StringComparer.Ordinal);

    private static string Key(ValidationError error) =>
        error.ActivityId is null ? "definition" : error.Input is null ? error.ActivityId : $"{error.ActivityId}.{error.Input}";
}
