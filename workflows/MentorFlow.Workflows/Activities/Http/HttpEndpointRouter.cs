using System.Collections.Concurrent;
using MentorFlow.Workflows.Persistence;
using MentorFlow.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Workflows.Activities.Http;

/// <summary>
/// The HTTP Endpoints of the published flows. Each request reads the ids of the published versions whose JSON names an
/// HTTP Endpoint (<see cref="WorkflowDefinitionRecord.HasHttpEndpoint"/>, through the partial index
/// <c>ix_wf_definitions_http_endpoints</c>), so a publish or retract on any replica counts at once. The routes of a
/// version are parsed once per process (a published version's JSON never changes) and kept while it stays published:
/// each lookup drops the versions no longer in the published set, so the cache holds at most one version per
/// definition.
/// </summary>
internal sealed class HttpEndpointRouter<TContext>(IDbContextFactory<TContext> dbFactory, FlowchartCache cache) : IHttpEndpointRouter
    where TContext : DbContext
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<HttpEndpointRoute>> _routes = new(StringComparer.Ordinal);

    public async Task<HttpEndpointMatch> MatchAsync(string method, IReadOnlyList<string> segments, CancellationToken cancellationToken = default)
    {
        var all = await PublishedRoutesAsync(cancellationToken);
        var matching = all.Select(r => (Route: r, Values: r.Path.Match(segments))).Where(m => m.Values is not null).ToList();
        if (matching.Count == 0)
        {
            return HttpEndpointMatch.NotFound;
        }

        // The most literal path wins (/orders/new over /orders/{id}), as ASP.NET Core routing decides.
        var best = matching.Max(m => m.Route.Path.LiteralCount);
        matching = [.. matching.Where(m => m.Route.Path.LiteralCount == best)];
        var verb = method.ToUpperInvariant();
        var answering = matching.Where(m => m.Route.Methods.Contains(verb)).ToList();
        var allowed = matching.SelectMany(m => m.Route.Methods).Distinct().Order(StringComparer.Ordinal).ToList();
        return answering.Count == 0
            ? new HttpEndpointMatch(true, allowed, [], new Dictionary<string, string>())
            : new HttpEndpointMatch(true, allowed, [.. answering.Select(m => m.Route)], answering[0].Values!);
    }

    public async Task<IReadOnlyList<string>> WaitingInstancesAsync(string bookmarkName, string correlationId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<WorkflowBookmarkRecord>().AsNoTracking()
            .Where(b => b.Name == bookmarkName && b.CorrelationId == correlationId && b.DueAt == null)
            .Select(b => b.InstanceId).Distinct().Take(100).ToListAsync(cancellationToken);
    }

    private async Task<List<HttpEndpointRoute>> PublishedRoutesAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var set = db.Set<WorkflowDefinitionRecord>().AsNoTracking();
        var ids = await PublishedEndpointVersionIds(set).ToListAsync(cancellationToken);
        var published = ids.ToHashSet(StringComparer.Ordinal);
        foreach (var cached in _routes.Keys.Where(id => !published.Contains(id)))
        {
            _routes.TryRemove(cached, out _);
        }

        // What this request answers from: its own snapshot, whatever a concurrent lookup evicts meanwhile.
        var found = new Dictionary<string, IReadOnlyList<HttpEndpointRoute>>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (_routes.TryGetValue(id, out var routes))
            {
                found[id] = routes;
            }
        }

        var missing = ids.Where(id => !found.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            foreach (var record in await set.Where(d => missing.Contains(d.Id)).ToListAsync(cancellationToken))
            {
                found[record.Id] = _routes[record.Id] = RoutesOf(cache, record);
            }
        }

        return [.. ids.SelectMany(id => found.TryGetValue(id, out var routes) ? routes : [])];
    }

    /// <summary>The ids of the published versions naming an HTTP Endpoint (the query the partial index answers).</summary>
    internal static IQueryable<string> PublishedEndpointVersionIds(IQueryable<WorkflowDefinitionRecord> definitions) =>
        definitions.Where(d => d.IsPublished && d.HasHttpEndpoint).Select(d => d.Id);

    /// <summary>The version ids whose routes this process holds (those published at the last lookup).</summary>
    internal IReadOnlyCollection<string> CachedVersionIds => [.. _routes.Keys];

    /// <summary>The routes of one stored version (none when it cannot be parsed: publish refuses such a version).</summary>
    internal static IReadOnlyList<HttpEndpointRoute> RoutesOf(FlowchartCache cache, WorkflowDefinitionRecord record)
    {
        try
        {
            return HttpEndpointRoute.Of(cache.Get(record.Id, record.DefinitionId, record.Version, record.Json));
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or Definitions.WorkflowDefinitionFormatException)
        {
            return [];
        }
    }

    /// <summary>
    /// Publish check: the routes of <paramref name="flowchart"/> against those of the other published flows; one
    /// problem per method and path claimed twice.
    /// </summary>
    internal static async Task<List<Definitions.ValidationError>> ConflictsAsync(
        IQueryable<WorkflowDefinitionRecord> definitions, FlowchartCache cache, Definitions.FlowchartDefinition flowchart, CancellationToken cancellationToken)
    {
        var errors = new List<Definitions.ValidationError>();
        var mine = HttpEndpointRoute.Of(flowchart);
        if (mine.Count == 0)
        {
            return errors;
        }

        var others = await definitions.AsNoTracking()
            .Where(d => d.IsPublished && d.HasHttpEndpoint && d.DefinitionId != flowchart.DefinitionId)
            .ToListAsync(cancellationToken);
        var claimed = others.SelectMany(o => RoutesOf(cache, o).Select(r => (Record: o, Route: r))).ToList();
        foreach (var route in mine)
        {
            foreach (var method in route.Methods)
            {
                if (claimed.FirstOrDefault(c => c.Route.Path.Shape == route.Path.Shape && c.Route.Methods.Contains(method)) is { Record: { } other, Route: { } theirs })
                {
                    errors.Add(new Definitions.ValidationError(route.ActivityId, "path",
                        $"{method} /workflows{route.Path.Text} is already answered by the published flow '{other.Name ?? other.DefinitionId}' (activity '{theirs.ActivityId}', path {theirs.Path.Text}); retract it or choose another path or method."));
                }
            }
        }

        return errors;
    }
}
