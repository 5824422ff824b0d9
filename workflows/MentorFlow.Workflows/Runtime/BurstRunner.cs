using System.Globalization;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Activities.BuiltIn;
using MentorFlow.Workflows.Definitions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MentorFlow.Workflows.Runtime;

/// <summary>
/// Runs a flowchart instance's scheduled work until it waits, finishes, faults or exhausts the step budget.
/// Pure in-memory: it changes the <see cref="BurstContext"/>; the store commits the result.
/// </summary>
internal sealed partial class BurstRunner(IOptions<WorkflowEngineOptions> options, ILogger<BurstRunner> logger)
{
    private readonly int _stepBudget = options.Value.StepBudget;

    public async Task RunAsync(BurstContext burst)
    {
        var state = burst.State;
        var definition = burst.Definition;
        var steps = 0;
        while (state.Queue.Count > 0 && state.Fault is null && !state.Finished && !state.Cancelled)
        {
            burst.CancellationToken.ThrowIfCancellationRequested();
            var item = state.Queue[0];
            if (steps >= _stepBudget)
            {
                var node0 = definition.Activities.GetValueOrDefault(item.ActivityId);
                Fault(burst, item.ActivityId, node0?.Type ?? "?", node0,
                    $"Step budget of {_stepBudget.ToString(CultureInfo.InvariantCulture)} activity executions per burst exhausted (a loop without a wait?). Retry continues from '{item.ActivityId}'.", null);
                break;
            }

            state.Queue.RemoveAt(0);
            if (!definition.Activities.TryGetValue(item.ActivityId, out var node))
            {
                state.Queue.Insert(0, item);
                Fault(burst, item.ActivityId, "?", null, $"Activity '{item.ActivityId}' is not in definition version {definition.Version}.", null);
                break;
            }

            BookmarkState? bookmark = null;
            if (item.Resume)
            {
                bookmark = state.Bookmarks.Find(b => b.Id == item.BookmarkId);
                if (bookmark is null)
                {
                    continue;
                }
            }
            else if (node.Type == FlowJoin.TypeName && !FlowJoin.Arrive(burst, node, item))
            {
                CompleteIdleFlowchart(burst, node.Container);
                continue;
            }

            steps++;
            var started = burst.Clock.GetUtcNow();
            var previousCount = state.ExecutionCounts.GetValueOrDefault(node.Id);
            var iteration = bookmark?.Iteration ?? previousCount;
            if (bookmark is null)
            {
                state.ExecutionCounts[node.Id] = previousCount + 1;
            }

            if (node.IsContainer && bookmark is null)
            {
                // A nested flowchart: run its start; it completes (and the parent goes on) when nothing is left in it.
                if (definition.StartOf(node.Id) is { } first)
                {
                    AddJournal(burst, node, JournalEvents.Started, started, [], null);
                    state.Queue.Add(new WorkItem { ActivityId = first.Id, SourceActivityId = node.Id });
                }
                else
                {
                    CompleteFlowchart(burst, node, ["Done"], started);
                }

                continue;
            }

            var enlistedBefore = burst.Enlisted.Count;
            var notesBefore = burst.Notes.Count;
            ActivityExecutionContext context;
            try
            {
                var type = node.Descriptor?.ClrType
                    ?? throw new InvalidOperationException($"activity type '{node.Type}' version {node.Version.ToString(CultureInfo.InvariantCulture)} is not registered.");
                var activity = ActivityBinder.Create(burst, node, type);
                context = new ActivityExecutionContext(burst, node, iteration, bookmark);
                if (bookmark is null)
                {
                    await activity.InvokeExecuteAsync(context);
                }
                else
                {
                    RemoveBookmark(burst, bookmark);
                    await activity.InvokeResumeAsync(context, context.Payload(item.Payload));
                }
            }
            catch (OperationCanceledException) when (burst.CancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception)
            {
                // Undo this execution's effects so a retry re-runs it with the same idempotency key.
                burst.Enlisted.RemoveRange(enlistedBefore, burst.Enlisted.Count - enlistedBefore);
                burst.Notes.RemoveRange(notesBefore, burst.Notes.Count - notesBefore);
                if (bookmark is null)
                {
                    state.ExecutionCounts[node.Id] = previousCount;
                }
                else if (!state.Bookmarks.Contains(bookmark))
                {
                    state.Bookmarks.Add(bookmark);
                    if (!burst.RemovedBookmarkIds.Remove(bookmark.Id))
                    {
                        burst.AddedBookmarks.Add(bookmark);
                    }
                }

                state.Queue.Insert(0, item);
                var message = exception is ActivityInputException
                    ? exception.Message
                    : $"Activity '{node.Id}' ({node.Type}) faulted: {exception.Message}";
                // An input or limit problem is fully said by its message: no stack trace is kept (or shown by the APIs).
                Fault(burst, node.Id, node.Type, node, message, exception is ActivityInputException ? null : exception);
                break;
            }

            foreach (var created in context.NewBookmarks)
            {
                created.Iteration = iteration;
                if (created.CorrelationId is null && created.DueAt is null)
                {
                    created.CorrelationId = state.CorrelationId;
                }

                state.Bookmarks.Add(created);
                burst.AddedBookmarks.Add(created);
            }

            if (context.BodyScheduled && !context.IsCompleted)
            {
                // The body runs; this activity runs again when nothing is left in it.
                AddJournal(burst, node, JournalEvents.Started, started, [], null);
                if (definition.StartOf(node.Id) is { } body)
                {
                    state.Queue.Add(new WorkItem { ActivityId = body.Id, SourceActivityId = node.Id });
                }
                else
                {
                    state.Queue.Add(new WorkItem { ActivityId = node.Id, SourceActivityId = node.Id });
                }

                continue;
            }

            if (!context.IsCompleted && context.NewBookmarks.Count == 0 && !state.Bookmarks.Exists(b => b.ActivityId == node.Id))
            {
                context.Complete();
            }

            var eventName = bookmark is null ? JournalEvents.Completed : JournalEvents.Resumed;
            if (context.IsCompleted)
            {
                foreach (var remaining in state.Bookmarks.Where(b => b.ActivityId == node.Id).ToList())
                {
                    RemoveBookmark(burst, remaining);
                }

                AddJournal(burst, node, eventName, started, context.Outcomes!, null);
                if (burst.FinishRequested)
                {
                    state.Finished = true;
                    state.Queue.Clear();
                    foreach (var remaining in state.Bookmarks.ToList())
                    {
                        RemoveBookmark(burst, remaining);
                    }

                    break;
                }

                if (burst.ContainerCompletion is { } completion)
                {
                    burst.ContainerCompletion = null;
                    CompleteFlowchart(burst, definition.Activities[completion.Container], completion.Outcomes, burst.Clock.GetUtcNow());
                    continue;
                }

                Follow(burst, node, context.Outcomes!);
                CompleteIdleFlowchart(burst, node.Container);
            }
            else
            {
                AddJournal(burst, node, bookmark is null ? JournalEvents.Suspended : JournalEvents.Resumed, started, [], null);
            }
        }

        if (state.Fault is null && state.Queue.Count == 0 && state.Bookmarks.Count == 0 && !state.Cancelled)
        {
            state.Finished = true;
        }
    }

    /// <summary>Schedules the activities connected to the given outcome ports of a node.</summary>
    private static void Follow(BurstContext burst, ActivityNode node, IReadOnlyList<string> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            foreach (var connection in burst.Definition.Outbound[node.Id])
            {
                if (string.Equals(connection.SourcePort ?? "Done", outcome, StringComparison.Ordinal))
                {
                    burst.State.Queue.Add(new WorkItem { ActivityId = connection.Target, SourceActivityId = node.Id, SourcePort = outcome });
                }
            }
        }

        // A sequence's next step runs once, whatever the outcome.
        if (outcomes.Count > 0)
        {
            foreach (var connection in burst.Definition.Outbound[node.Id].Where(c => c.SourcePort == Connection.AnyPort))
            {
                burst.State.Queue.Add(new WorkItem { ActivityId = connection.Target, SourceActivityId = node.Id, SourcePort = outcomes[0] });
            }
        }
    }

    /// <summary>A nested flowchart with no pending work and no waits inside completes with Done (then maybe its parent).</summary>
    private static void CompleteIdleFlowchart(BurstContext burst, string? container)
    {
        if (container is null || !burst.Definition.Activities.TryGetValue(container, out var node))
        {
            return;
        }

        var definition = burst.Definition;
        if (burst.State.Queue.Exists(i => definition.IsWithin(i.ActivityId, container))
            || burst.State.Bookmarks.Exists(b => definition.IsWithin(b.ActivityId, container)))
        {
            return;
        }

        if (node.HasBody)
        {
            // The body is done: its owner (a loop, a FlowNode) runs again and decides what comes next.
            if (!burst.State.Queue.Exists(i => i.ActivityId == node.Id && !i.Resume))
            {
                burst.State.Queue.Add(new WorkItem { ActivityId = node.Id, SourceActivityId = node.Id });
            }

            return;
        }

        CompleteFlowchart(burst, node, ["Done"], burst.Clock.GetUtcNow());
    }

    /// <summary>
    /// Completes a nested flowchart with outcomes: what is still pending or waiting inside it is dropped, the parent
    /// follows the outcome ports, and the parent itself completes if that left it idle.
    /// </summary>
    private static void CompleteFlowchart(BurstContext burst, ActivityNode container, IReadOnlyList<string> outcomes, DateTimeOffset started)
    {
        var definition = burst.Definition;
        burst.State.Queue.RemoveAll(i => definition.IsWithin(i.ActivityId, container.Id));
        foreach (var bookmark in burst.State.Bookmarks.Where(b => definition.IsWithin(b.ActivityId, container.Id)).ToList())
        {
            RemoveBookmark(burst, bookmark);
        }

        burst.State.ActivityStates.Remove(container.Id);
        AddJournal(burst, container, JournalEvents.Completed, started, outcomes, null);
        Follow(burst, container, outcomes);
        CompleteIdleFlowchart(burst, container.Container);
    }

    private static void RemoveBookmark(BurstContext burst, BookmarkState bookmark)
    {
        burst.State.Bookmarks.Remove(bookmark);
        if (burst.AddedBookmarks.Remove(bookmark))
        {
            return;
        }

        burst.RemovedBookmarkIds.Add(bookmark.Id);
    }

    private static void AddJournal(BurstContext burst, ActivityNode node, string eventName, DateTimeOffset started, IReadOnlyList<string> outcomes, string? error)
    {
        var sequence = ++burst.State.JournalSequence;
        burst.Journal.Add(new WorkflowJournalEntryDraft(sequence, node, eventName, started, burst.Clock.GetUtcNow(), outcomes, burst.TakeJournalMessage(), error));
    }

    private void Fault(BurstContext burst, string activityId, string activityType, ActivityNode? node, string message, Exception? exception)
    {
        var now = burst.Clock.GetUtcNow();
        var incident = new WorkflowIncidentDraft(burst.NewId(), activityId, activityType, message, exception?.ToString(), now);
        burst.Incidents.Add(incident);
        burst.State.Fault = new FaultState { ActivityId = activityId, Message = message, IncidentId = incident.Id };
        var journalNode = node ?? new ActivityNode(activityId, activityType, 1, null, []);
        var sequence = ++burst.State.JournalSequence;
        burst.Journal.Add(new WorkflowJournalEntryDraft(sequence, journalNode, JournalEvents.Faulted, now, now, [], burst.TakeJournalMessage(), message));
        LogFault(logger, burst.InstanceId, activityId, message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow instance {InstanceId} faulted at activity {ActivityId}: {Message}")]
    private static partial void LogFault(ILogger logger, string instanceId, string activityId, string message);
}
