using System.Globalization;
using MentorFlow.Reporting.Synthesis;

namespace MentorFlow.Reporting.Metrics;

/// <summary>The data a notebook reports on, where it came from (in words for the report) and the folder of its files.</summary>
public sealed record ReportData(ProgrammeData Data, string Folder, string Description);

/// <summary>
/// Resolves a notebook's data parameters: a folder of CSV exports, else a live service's export API, else a synthetic
/// programme made by the same generator as <c>mentorflow synth --mentors 250 --mentees 1000 --seed N</c>, written once
/// under <c>artifacts/synthetic/seed-N</c> so a newcomer sees real output at once.
/// </summary>
public static class ReportDataSource
{
    public const int SyntheticMentors = 250;
    public const int SyntheticMentees = 1000;

    /// <summary>Where the runner asks notebooks to put their chart files (set by <c>mentorflow notebooks run</c>).</summary>
    public const string OutputFolderVariable = "MENTORFLOW_NOTEBOOK_OUT";

    public static async Task<ReportData> ResolveAsync(
        string dataFolder,
        string apiUrl,
        string apiKey,
        string programmeId,
        int syntheticSeed,
        string artifactsFolder,
        CancellationToken cancellationToken = default)
    {
        if (dataFolder.Length > 0)
        {
            var folder = Path.GetFullPath(dataFolder);
            return Directory.Exists(folder)
                ? new ReportData(ProgrammeData.Load(folder), folder, $"CSV exports in {folder}")
                : throw new DirectoryNotFoundException($"DataFolder '{dataFolder}' does not exist");
        }

        if (apiUrl.Length > 0)
        {
            if (programmeId.Length == 0)
            {
                throw new ArgumentException("ProgrammeId is required with ApiUrl", nameof(programmeId));
            }

            var baseUrl = new Uri(apiUrl.EndsWith('/') ? apiUrl : apiUrl + "/");
            var folder = Path.Combine(Path.GetFullPath(artifactsFolder), "api-export", programmeId);
            using var http = new HttpClient();
            var data = await ProgrammeData.LoadFromApiAsync(http, baseUrl, programmeId, apiKey, folder, cancellationToken).ConfigureAwait(false);
            return new ReportData(data, folder, $"MentorFlow service {baseUrl.GetLeftPart(UriPartial.Authority)}, programme {programmeId}");
        }

        var synthetic = Path.Combine(Path.GetFullPath(artifactsFolder), "synthetic", "seed-" + syntheticSeed.ToString(CultureInfo.InvariantCulture));
        if (!File.Exists(Path.Combine(synthetic, SyntheticData.TestimonialsFile)))
        {
            SyntheticData.Generate(new SynthOptions { Mentors = SyntheticMentors, Mentees = SyntheticMentees, Seed = syntheticSeed }).WriteTo(synthetic);
        }

        return new ReportData(
            ProgrammeData.Load(synthetic),
            synthetic,
            string.Create(CultureInfo.InvariantCulture, $"Synthetic programme (not real people), generated like 'mentorflow synth --mentors {SyntheticMentors} --mentees {SyntheticMentees} --seed {syntheticSeed}'"));
    }

    /// <summary>The folder for chart files: <paramref name="chartsFolder"/>, else the runner's output folder, else artifacts/charts.</summary>
    public static string ChartsFolder(string chartsFolder, string artifactsFolder, string notebook)
    {
        if (chartsFolder.Length > 0)
        {
            return Path.GetFullPath(chartsFolder);
        }

        var runnerOut = Environment.GetEnvironmentVariable(OutputFolderVariable);
        return string.IsNullOrEmpty(runnerOut)
            ? Path.Combine(Path.GetFullPath(artifactsFolder), "charts", notebook)
            : Path.Combine(runnerOut, "charts", notebook);
    }

    /// <summary>Parses "weekly" or "monthly".</summary>
    /// <exception cref="ArgumentException">Any other value; the message names the parameter.</exception>
    public static Granularity ParseGranularity(string value) => value.Trim().ToLowerInvariant() switch
    {
        "weekly" or "week" => Granularity.Weekly,
        "monthly" or "month" => Granularity.Monthly,
        _ => throw new ArgumentException($"Granularity must be 'weekly' or 'monthly', got '{value}'", nameof(value)),
    };

    /// <summary>Parses the AsOf parameter (yyyy-MM-dd); empty means the last date in the data.</summary>
    public static DateOnly ParseAsOf(string value, ProgrammeData data) =>
        value.Trim().Length == 0
            ? data.LatestDate ?? throw new InvalidOperationException("AsOf is empty and the data has no dates: set AsOf (yyyy-MM-dd)")
            : DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? day
                : throw new ArgumentException($"AsOf must be a date yyyy-MM-dd, got '{value}'", nameof(value));
}
