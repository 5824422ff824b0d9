using System.ComponentModel;
using System.Net.Http.Headers;
using MentorFlow.Cli.Matching;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MentorFlow.Cli.Demo;

/// <summary>
/// <c>mentorflow demo</c>: creates a sample programme on a running server (Graph sandbox only) whose synthetic members
/// and applications fit its settings, answers the poll as those members, imports the applications, runs and approves
/// the matching, and prints the pages to open.
/// </summary>
public sealed class DemoCommand : AsyncCommand<DemoCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--server <URL>")]
        [Description("The running server (default http://localhost:5180, where the AppHost starts it)")]
        public string Server { get; init; } = "http://localhost:5180";

        [CommandOption("--key <KEY>")]
        [Description("A manager API key (default: the MENTORFLOW_API_KEY variable, else the file of --key-file)")]
        public string? Key { get; init; }

        [CommandOption("--key-file <FILE>")]
        [Description("File holding the manager key (default data/dev-manager-key, which the AppHost writes)")]
        public string KeyFile { get; init; } = Path.Combine("data", "dev-manager-key");

        [CommandOption("--mentors <N>")]
        [Description("Mentors in the sample (1-25, default 8)")]
        public int Mentors { get; init; } = 8;

        [CommandOption("--mentees <N>")]
        [Description("Mentees in the sample (1-25, default 16)")]
        public int Mentees { get; init; } = 16;

        [CommandOption("--seed <N>")]
        [Description("Seed of the synthetic members (default 7)")]
        public int Seed { get; init; } = 7;

        [CommandOption("--organizer <MAILBOX>")]
        [Description("The mailbox that sends the programme's mail (default the sandbox's programmes@sandbox.mentorflow.local)")]
        public string Organizer { get; init; } = "programmes@sandbox.mentorflow.local";

        public override ValidationResult Validate()
        {
            if (!Uri.TryCreate(Server, UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
            {
                return ValidationResult.Error("--server must be an http(s) URL, e.g. http://localhost:5180");
            }

            // Each member posts one poll answer; the server allows 60 form requests a minute from one address.
            return Mentors is < 1 or > DemoProgramme.MaxPeople || Mentees is < 1 or > DemoProgramme.MaxPeople
                ? ValidationResult.Error($"--mentors and --mentees must be 1 to {DemoProgramme.MaxPeople}")
                : ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var console = CliOutput.Console;
        var key = settings.Key ?? Environment.GetEnvironmentVariable("MENTORFLOW_API_KEY");
        if (string.IsNullOrWhiteSpace(key))
        {
            if (!File.Exists(settings.KeyFile))
            {
                console.MarkupLineInterpolated(
                    $"[red]error:[/] no manager key: pass --key, set MENTORFLOW_API_KEY, or run from the repository root after the AppHost has started once (it writes {settings.KeyFile}).");
                return CliOutput.BadInput;
            }

            key = (await File.ReadAllTextAsync(settings.KeyFile, cancellationToken).ConfigureAwait(false)).Trim();
        }

        using var http = new HttpClient { BaseAddress = new Uri(settings.Server.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key.Trim());
        var demo = new DemoProgramme(http, message => console.MarkupLineInterpolated($"{message}"));
        try
        {
            var result = await demo.RunAsync(new DemoOptions(settings.Mentors, settings.Mentees, settings.Seed, settings.Organizer), cancellationToken)
                .ConfigureAwait(false);
            foreach (var (label, url) in result.Links)
            {
                Console.Out.WriteLine($"{label,-18} {url}");
            }

            return CliOutput.Success;
        }
        catch (DemoException problem)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {problem.Message}");
            return problem.BadInput ? CliOutput.BadInput : CliOutput.Failed;
        }
    }
}
