using MentorFlow.Cli.Notebooks;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("mentorflow");
    config.AddBranch("notebooks", notebooks => notebooks.AddCommand<NotebooksRunCommand>("run"));
});
return await app.RunAsync(args).ConfigureAwait(false);
