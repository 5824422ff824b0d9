using MentorFlow.Cli.Demo;
using MentorFlow.Cli.Matching;
using MentorFlow.Cli.Notebooks;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("mentorflow");
    config.AddBranch("notebooks", notebooks =>
    {
        notebooks.SetDescription("Polyglot notebooks for leadership reviews");
        notebooks.AddCommand<NotebooksRunCommand>("run").WithDescription("Run notebooks headless and write the executed notebooks and an HTML report");
    });
    config.AddCommand<MatchCommand>("match").WithDescription("Train the match-quality model on past outcomes and assign a cohort's pairs (pairs.csv)");
    config.AddCommand<SynthCommand>("synth").WithDescription("Write a consistent synthetic data set (every CSV of docs/data-formats.md)");
    config.AddCommand<DemoCommand>("demo").WithDescription("Create a sample programme on a running server (Graph sandbox): members, poll, applications, matching");
    config.SetExceptionHandler((exception, _) => CliOutput.Fail(exception));
});
return await app.RunAsync(args).ConfigureAwait(false);
