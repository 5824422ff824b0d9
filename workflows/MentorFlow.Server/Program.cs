using MentorFlow.Server.Api;
using MentorFlow.Server.FlowHttp;
using MentorFlow.Server.Graph;
using MentorFlow.Server.Hosting;
using MentorFlow.Server.Mentoring;
using MentorFlow.Server.Persistence;
using MentorFlow.Server.Security;
using MentorFlow.Server.Studio;
using MentorFlow.Workflows;

return await StartupGuard.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceDefaults();
    builder.AddApiDefaults();
    builder.AddMentorFlowPersistence();
    builder.AddWorkflowEngine<MentorFlowDbContext>();
    builder.AddSecurity();
    builder.AddStudio();
    builder.AddMentoring();
    builder.AddGraph();
    builder.AddFlowHttp();

    var app = builder.Build();
    await app.PrepareDatabaseAsync();
    await app.EnsureManagerKeyAsync();
    app.UseWebProtection();
    app.UseApiDefaults();
    app.MapDefaultEndpoints();
    app.MapApiDefaults();
    app.MapSecurity();
    app.MapStudio();
    app.MapMentoring();
    app.MapGraph();
    app.MapFlowHttp();
    await app.RunAsync();
});

/// <summary>Entry point type, visible to <c>WebApplicationFactory</c> in tests.</summary>
public partial class Program;
