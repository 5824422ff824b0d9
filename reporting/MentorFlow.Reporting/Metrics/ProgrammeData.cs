using MentorFlow.Reporting.Data;

namespace MentorFlow.Reporting.Metrics;

/// <summary>
/// The programme records the metrics are computed from, read from the CSV files of docs/data-formats.md (a folder of exports or
/// the service's export API). relationships.csv and testimonials.csv are required; platform.csv (platform
/// analytics, which the service does not hold), applications.csv, pairs.csv, history-applications.csv and the
/// service's poll.csv (interest-poll answers, for the funnel) are used when present.
/// </summary>
public sealed record ProgrammeData(
    IReadOnlyList<Relationship> Relationships,
    IReadOnlyList<PlatformDay> Platform,
    IReadOnlyList<Testimonial> Testimonials,
    IReadOnlyList<Application> Applications,
    IReadOnlyList<Pair> Pairs)
{
    public static readonly IReadOnlyList<string> RequiredFiles = ["relationships.csv", "testimonials.csv"];
    public static readonly IReadOnlyList<string> OptionalFiles = ["platform.csv", "applications.csv", "pairs.csv", "history-applications.csv", "poll.csv"];

    /// <summary>Answers to the interest poll (rows of poll.csv), when the data source has them.</summary>
    public int? PollResponses { get; init; }

    public static ProgrammeData Empty { get; } = new([], [], [], [], []);

    /// <summary>
    /// Applications of the people the relationships were formed from, when the folder keeps them apart from a new
    /// cohort (<c>history-applications.csv</c>, as <c>mentorflow synth</c> writes); empty otherwise.
    /// </summary>
    public IReadOnlyList<Application> PastApplications { get; init; } = [];

    /// <summary>The applicants the funnel starts from: the past applications when present, else applications.csv.</summary>
    public IReadOnlyList<Application> FunnelApplicants => PastApplications.Count > 0 ? PastApplications : Applications;

    /// <summary>The last date any record mentions: the natural "as of" date of a report.</summary>
    public DateOnly? LatestDate =>
        Relationships.SelectMany(r => new[] { r.Started, r.Ended ?? r.Started, r.LastMeeting ?? r.Started })
            .Concat(Platform.Select(p => p.Date))
            .Concat(Testimonials.Select(t => t.Date))
            .Select(d => (DateOnly?)d)
            .DefaultIfEmpty(null)
            .Max();

    /// <summary>Reads the CSV files in <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">A required file is missing (the message names it).</exception>
    /// <exception cref="CsvDataException">Any file breaks the contract: every error, each with file, line and column.</exception>
    public static ProgrammeData Load(string folder)
    {
        foreach (var file in RequiredFiles)
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{file} is missing from '{folder}' (required: {string.Join(", ", RequiredFiles)})", path);
            }
        }

        var errors = new List<CsvDataError>();
        var relationships = Collect(RelationshipsCsv.Read(Path.Combine(folder, "relationships.csv")), errors);
        var platformPath = Path.Combine(folder, "platform.csv");
        var platform = File.Exists(platformPath) ? Collect(PlatformCsv.Read(platformPath), errors) : [];
        var testimonials = Collect(TestimonialsCsv.Read(Path.Combine(folder, "testimonials.csv")), errors);
        var applicationsPath = Path.Combine(folder, "applications.csv");
        var applications = File.Exists(applicationsPath) ? Collect(ApplicationsCsv.Read(applicationsPath), errors) : [];
        var pairsPath = Path.Combine(folder, "pairs.csv");
        var pairs = File.Exists(pairsPath) ? Collect(PairsCsv.Read(pairsPath), errors) : [];
        var historyPath = Path.Combine(folder, "history-applications.csv");
        var history = File.Exists(historyPath) ? Collect(ApplicationsCsv.Read(historyPath), errors) : [];
        return errors.Count > 0
            ? throw new CsvDataException(errors)
            : new ProgrammeData(relationships, platform, testimonials, applications, pairs) { PastApplications = history, PollResponses = CountRows(Path.Combine(folder, "poll.csv")) };
    }

    /// <summary>
    /// Downloads the exports of a live service (<c>GET {baseUrl}/api/programmes/{id}/export/{file}</c> with
    /// <c>Authorization: ApiKey {key}</c>) into <paramref name="folder"/> and reads them like <see cref="Load"/>.
    /// </summary>
    /// <exception cref="HttpRequestException">The service refused a required file (the message names it and the status).</exception>
    public static async Task<ProgrammeData> LoadFromApiAsync(HttpClient http, Uri baseUrl, string programmeId, string apiKey, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        Directory.CreateDirectory(folder);
        foreach (var file in RequiredFiles.Concat(OptionalFiles))
        {
            var uri = new Uri(baseUrl, $"api/programmes/{Uri.EscapeDataString(programmeId)}/export/{file}");
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (apiKey.Length > 0)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "ApiKey " + apiKey);
            }

            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                if (OptionalFiles.Contains(file) && response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    continue;
                }

                throw new HttpRequestException($"{file}: {uri} answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
            }

            var target = Path.Combine(folder, file);
            var stream = File.Create(target);
            await using (stream.ConfigureAwait(false))
            {
                await response.Content.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
            }
        }

        return Load(folder);
    }

    private static int? CountRows(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var reader = new StreamReader(path);
        using var csv = global::CsvHelper.CsvReader.Create(reader, new global::CsvHelper.CsvReaderOptions { HasHeader = true, SkipEmptyLines = true });
        var rows = 0;
        while (csv.Read())
        {
            rows++;
        }

        return rows;
    }

    private static IReadOnlyList<T> Collect<T>(CsvReadResult<T> result, List<CsvDataError> errors)
    {
        errors.AddRange(result.Errors);
        return result.Rows;
    }
}
