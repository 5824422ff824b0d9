using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;
using MentorFlow.Mentoring.Services;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MentorFlow.Mentoring.Automation;

/// <summary>The default lifecycle flows (workflows/definitions), by definition id.</summary>
public static class DefaultFlows
{
    public const string InterestPoll = "mentoring-interest-poll";
    public const string MentorRecruitment = "mentoring-mentor-recruitment";
    public const string Applications = "mentoring-applications";
    public const string Introductions = "mentoring-introductions";
    public const string MentorChoice = "mentoring-mentor-choice";
    public const string Welcome = "mentoring-welcome";
    public const string KickOff = "mentoring-kickoff";
    public const string CheckIns = "mentoring-checkins";
    public const string CheckInSurveys = "mentoring-checkin-surveys";
    public const string MidPointSurvey = "mentoring-midpoint-survey";
    public const string GoalReassessment = "mentoring-goal-reassessment";
    public const string Closing = "mentoring-closing";

    /// <summary>Flows started for each pair once both sides confirmed.</summary>
    public static readonly IReadOnlyList<string> PartnershipFlows = [Welcome, KickOff, CheckIns, CheckInSurveys, MidPointSurvey, Closing];

    /// <summary>The definitions' Elsa 3 JSON, embedded from workflows/definitions.</summary>
    public static IReadOnlyList<(string Name, string Json)> Embedded()
    {
        var assembly = typeof(DefaultFlows).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("definitions/", StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return (name["definitions/".Length..], reader.ReadToEnd());
            })
            .ToList();
    }
}

/// <summary>
/// Starts and resumes the default lifecycle flows from domain events: opening the poll starts the interest poll,
/// opening applications the applications flow (and mentor recruitment when the poll showed a shortage), an approval
/// the introductions of each pair (or, when mentees choose, a mentor choice flow per mentee; their pick starts the
/// chosen pair's introductions), both confirmations the partnership flows, and each form submission signals the
/// pair's waiting flows in the same transaction as the answer (<c>PairActive</c>, <c>KickOffScheduled</c>, <c>PairChanged</c>, <c>PairClosed</c>).
/// Correlation id: the programme id or the pair id.
/// </summary>
public sealed partial class WorkflowAutomation(
    IWorkflowRuntime runtime, IWorkflowEnlistment enlistment, ProgrammeService programmes, ILogger<WorkflowAutomation> logger) : IMentoringAutomation
{
    public async Task PhaseChangedAsync(Programme programme, CancellationToken cancellationToken)
    {
        var input = new Dictionary<string, object?> { ["ProgrammeId"] = programme.Id.ToString() };
        switch (programme.Phase)
        {
            case ProgrammePhase.Poll:
                await runtime.StartAsync(DefaultFlows.InterestPoll, input, programme.Id.ToString(), cancellationToken: cancellationToken);
                break;
            case ProgrammePhase.Applications:
                await runtime.StartAsync(DefaultFlows.Applications, input, programme.Id.ToString(), cancellationToken: cancellationToken);
                if ((await programmes.PollResultsAsync(programme.Id, cancellationToken)).MentorShortage)
                {
                    await runtime.StartAsync(DefaultFlows.MentorRecruitment, input, programme.Id.ToString(), cancellationToken: cancellationToken);
                }

                break;
        }
    }

    public async Task PairsApprovedAsync(Programme programme, IReadOnlyList<Pair> pairs, CancellationToken cancellationToken)
    {
        foreach (var pair in pairs)
        {
            await runtime.StartAsync(DefaultFlows.Introductions, PairInput(pair.Id), pair.Id.ToString(), cancellationToken: cancellationToken);
        }
    }

    public async Task ChoicesOfferedAsync(Programme programme, IReadOnlyList<MentorChoice> choices, CancellationToken cancellationToken)
    {
        foreach (var choice in choices)
        {
            await runtime.StartAsync(DefaultFlows.MentorChoice, new Dictionary<string, object?> { ["ChoiceId"] = choice.Id.ToString() }, choice.Id.ToString(),
                cancellationToken: cancellationToken);
        }
    }

    public async Task<AfterCommit> PhaseChangingAsync(DbContext db, Programme programme, CancellationToken cancellationToken)
    {
        var input = new Dictionary<string, object?> { ["ProgrammeId"] = programme.Id.ToString() };
        var correlation = programme.Id.ToString();
        var flows = programme.Phase switch
        {
            ProgrammePhase.Poll => [DefaultFlows.InterestPoll],
            ProgrammePhase.Applications when (await programmes.PollResultsAsync(programme.Id, cancellationToken)).MentorShortage =>
                [DefaultFlows.Applications, DefaultFlows.MentorRecruitment],
            ProgrammePhase.Applications => new[] { DefaultFlows.Applications },
            _ => [],
        };
        var work = EnlistedWorkflowWork.None;
        foreach (var flow in flows)
        {
            work = work.Add(await EnlistStartAsync(db, flow, input, correlation, programme.Id, cancellationToken));
        }

        return work.InstanceIds.Count == 0 ? AfterCommit.Nothing : new AfterCommit(ct => RunAsync(work, ct));
    }

    public async Task<AfterCommit> ApprovingAsync(DbContext db, Programme programme, IReadOnlyList<Pair> pairs, IReadOnlyList<MentorChoice> choices, CancellationToken cancellationToken)
    {
        var work = EnlistedWorkflowWork.None;
        foreach (var pair in pairs)
        {
            work = work.Add(await EnlistStartAsync(db, DefaultFlows.Introductions, PairInput(pair.Id), pair.Id.ToString(), programme.Id, cancellationToken));
        }

        foreach (var choice in choices)
        {
            work = work.Add(await EnlistStartAsync(db, DefaultFlows.MentorChoice, new Dictionary<string, object?> { ["ChoiceId"] = choice.Id.ToString() },
                choice.Id.ToString(), programme.Id, cancellationToken));
        }

        return work.InstanceIds.Count == 0 ? AfterCommit.Nothing : new AfterCommit(ct => RunAsync(work, ct));
    }

    /// <summary>A start in the caller's unit of work; a flow without a published version refuses the whole change (503, field <c>flow</c>).</summary>
    private async Task<EnlistedWorkflowWork> EnlistStartAsync(DbContext db, string flow, Dictionary<string, object?> input, string correlation, Guid programmeId, CancellationToken cancellationToken)
    {
        try
        {
            return await enlistment.StartAsync(db, flow, input, correlation, cancellationToken);
        }
        catch (WorkflowDefinitionNotFoundException)
        {
            LogFlowMissing(logger, flow, programmeId);
            throw MentoringProblemException.Unavailable("flow", $"The flow '{flow}' has no published version: publish it in the Studio, then try again. Nothing was changed.");
        }
    }

    public async Task<AfterCommit> SubmittingAsync(DbContext db, LinkClaims link, IReadOnlyDictionary<string, object?> payload, CancellationToken cancellationToken)
    {
        var work = EnlistedWorkflowWork.None;
        try
        {
            work = await EnlistSubmittedAsync(db, link, payload, cancellationToken);
        }
        catch (WorkflowDefinitionNotFoundException)
        {
            // Checked before anything is saved: the participant is asked to try later and the link stays usable.
            LogFlowUnavailable(logger, link.Purpose, link.ProgrammeId);
            throw MentoringProblemException.Unavailable("flow", "We could not record this right now. Please try again later.");
        }

        return work.InstanceIds.Count == 0 ? AfterCommit.Nothing : new AfterCommit(ct => RunAsync(work, ct));
    }

    /// <summary>Runs the committed starts and signals now; a failure is logged and left to the engine's recovery (the rows are committed).</summary>
    private async Task RunAsync(EnlistedWorkflowWork work, CancellationToken cancellationToken)
    {
        try
        {
            await enlistment.RunAsync(work, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRunDeferred(logger, exception, work.InstanceIds.Count);
        }
    }

    private async Task<EnlistedWorkflowWork> EnlistSubmittedAsync(DbContext db, LinkClaims link, IReadOnlyDictionary<string, object?> payload, CancellationToken cancellationToken)
    {
        var work = EnlistedWorkflowWork.None;
        if (link.Purpose == LinkPurpose.ChooseMentor)
        {
            // The mentee chose: their choice flow ends, the chosen pair's introductions start (the mentor confirms).
            if (Guid.TryParseExact(link.Subject, "N", out var choiceId))
            {
                work = work.Add(await enlistment.SignalAsync(db, "MentorChosen", choiceId.ToString(), payload, cancellationToken));
            }

            if (Guid.TryParse(payload.GetValueOrDefault("PairId") as string, out var chosen))
            {
                work = work.Add(await enlistment.StartAsync(db, DefaultFlows.Introductions, PairInput(chosen), chosen.ToString(), cancellationToken));
            }

            return work;
        }

        var subject = link.Subject.Split(':')[0];
        if (!Guid.TryParse(subject, out var pairId))
        {
            return work;
        }

        var correlation = pairId.ToString();
        switch (link.Purpose)
        {
            case LinkPurpose.ConfirmMatch when payload.GetValueOrDefault("PairStatus") as string == nameof(PairStatus.Active):
                work = work.Add(await enlistment.SignalAsync(db, "PairActive", correlation, payload, cancellationToken));
                foreach (var flow in DefaultFlows.PartnershipFlows)
                {
                    work = work.Add(await enlistment.StartAsync(db, flow, PairInput(pairId), correlation, cancellationToken));
                }

                break;
            case LinkPurpose.ConfirmMatch when payload.GetValueOrDefault("PairStatus") as string == nameof(PairStatus.Declined):
                work = work.Add(await enlistment.SignalAsync(db, "PairDeclined", correlation, payload, cancellationToken));
                break;
            case LinkPurpose.KickOffScheduled:
                work = work.Add(await enlistment.SignalAsync(db, "KickOffScheduled", correlation, payload, cancellationToken));
                break;
            case LinkPurpose.Policy:
                work = work.Add(await enlistment.SignalAsync(db, "PairChanged", correlation, payload, cancellationToken));
                break;
            case LinkPurpose.GoalMet:
                work = work.Add(await enlistment.StartAsync(db, DefaultFlows.GoalReassessment, PairInput(pairId), correlation, cancellationToken));
                break;
            case LinkPurpose.Goal when payload.GetValueOrDefault("PairStatus") as string is nameof(PairStatus.ClosedEarly) or nameof(PairStatus.Completed):
                work = work.Add(await enlistment.SignalAsync(db, "PairChanged", correlation, null, cancellationToken));
                work = work.Add(await enlistment.SignalAsync(db, "PairClosed", correlation, null, cancellationToken));
                break;
        }

        return work;
    }

    public Task PairClosedAsync(Pair pair, CancellationToken cancellationToken) => SignalClosedAsync(pair.Id.ToString(), cancellationToken);

    private async Task SignalClosedAsync(string correlation, CancellationToken cancellationToken)
    {
        await runtime.SignalAsync("PairChanged", correlation, null, cancellationToken);
        await runtime.SignalAsync("PairClosed", correlation, null, cancellationToken);
    }

    private static Dictionary<string, object?> PairInput(Guid pairId) => new() { ["PairId"] = pairId.ToString() };

    [LoggerMessage(Level = LogLevel.Warning, Message = "A participant's {Purpose} answer in programme {ProgrammeId} was not recorded: a flow it starts has no published version")]
    private static partial void LogFlowUnavailable(ILogger logger, LinkPurpose purpose, Guid programmeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Programme {ProgrammeId} was not changed: the flow {Flow} it starts has no published version")]
    private static partial void LogFlowMissing(ILogger logger, string flow, Guid programmeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} workflow instances started or signalled by a participant's answer could not be run at once; recovery runs them")]
    private static partial void LogRunDeferred(ILogger logger, Exception exception, int count);
}

/// <summary>Seeds the default flows on first run: each embedded definition not yet in the database is imported and published.</summary>
public sealed partial class DefaultFlowsSeeder(IWorkflowDefinitionService definitions, ILogger<DefaultFlowsSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) => await SeedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Imports and publishes missing definitions; returns how many were added.</summary>
    public async Task<int> SeedAsync(CancellationToken cancellationToken = default)
    {
        var added = 0;
        foreach (var (name, json) in DefaultFlows.Embedded())
        {
            var definitionId = System.Text.Json.Nodes.JsonNode.Parse(json)?["definitionId"]?.GetValue<string>() ?? "";
            if (await definitions.FindAsync(definitionId, VersionOptions.LatestOrPublished, cancellationToken) is not null)
            {
                continue;
            }

            PublishResult published;
            try
            {
                var saved = await definitions.ImportAsync(json, cancellationToken);
                published = await definitions.PublishAsync(saved.Definition.DefinitionId, cancellationToken);
            }
            catch (Microsoft.EntityFrameworkCore.DbUpdateException)
            {
                // Several replicas starting on an empty database seed at once: another one stored this flow first.
                if (await definitions.FindAsync(definitionId, VersionOptions.LatestOrPublished, cancellationToken) is not null)
                {
                    continue;
                }

                throw;
            }

            if (!published.Succeeded)
            {
                throw new InvalidOperationException(
                    $"The default flow {name} does not publish: {string.Join("; ", published.Errors.Select(e => $"{e.ActivityId} {e.Input}: {e.Message}"))}");
            }

            LogSeeded(logger, definitionId);
            added++;
        }

        return added;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the default flow {DefinitionId}")]
    private static partial void LogSeeded(ILogger logger, string definitionId);
}

internal static class AutomationRegistration
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<IMentoringAutomation, WorkflowAutomation>();
        services.AddHostedService<DefaultFlowsSeeder>();
        services.AddSingleton<FlowReconciliation>();
        services.AddHostedService<FlowReconciliationService>();
    }
}
