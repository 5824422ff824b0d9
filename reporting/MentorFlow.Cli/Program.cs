using MentorFlow.Cli.Matching;
using MentorFlow.Cli.Notebooks;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("mentorflow");
    config.AddBranch("notebooks", notebooks => notebooks.AddCommand<NotebooksRunCommand>("run"));
    config.AddCommand<MatchCommand>("match");
    config.AddCommand<SynthCommand>("synth");
    config.SetExceptionHandler((exception, _) => CliOutput.Fail(exception));
});
return await app.RunAsync(args).ConfigureAwait(false);
