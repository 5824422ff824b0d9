using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Activities.BuiltIn;
using MentorFlow.Workflows.Definitions;
using MentorFlow.Workflows.Descriptors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MentorFlow.Server.Studio.ElsaApi;

/// <summary>
/// What the designer asks for when a user opens a container (a loop's body, a nested flowchart, a flow used as an
/// activity) or selects an activity that is not in the container on screen: one activity of a definition version with
/// everything below it as Elsa's activity node <c>{ nodeId, port, activity }</c>, and the path of containers down to
/// an activity (<c>{ childNode, container, pathSegments }</c>).
/// </summary>
internal static class ElsaDefinitionGraphApi
{
    /// <summary>The containers the designer shows as the canvas itself, never as a step of the path (as in Elsa).</summary>
    private static readonly HashSet<string> CanvasTypes = new(StringComparer.Ordinal) { "Elsa.Flowchart", "Elsa.Workflow" };

    public static IEndpointRouteBuilder MapElsaDefinitionGraphApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/workflow-definitions/subgraph/{id}", GetSubgraph);
        api.MapGet("/workflow-definitions/subgraph/segments/{id}", GetPathSegments);
        return api;
    }

    /// <summary>
    /// The activity with node id <c>parentNodeId</c> (unknown or absent: the root) and everything below it. A flow used
    /// as an activity gets the root of the version it runs as its <c>root</c> (the designer's <c>Root</c> port), with
    /// node ids below the node's own.
    /// </summary>
    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetSubgraph(
        string id, string? parentNodeId, [FromServices] IWorkflowDefinitionService definitions, [FromServices] IActivityRegistry registry,
        [FromServices] IWorkflowDefinitionActivities flows, CancellationToken cancellationToken)
    {
        if (await LoadTreeAsync(id, definitions, flows, cancellationToken) is not { } root)
        {
            return ElsaRequests.NotFound($"No workflow definition version '{id}'.");
        }

        var path = parentNodeId is null ? null : ElsaNodeIds.PathTo(root, parentNodeId);
        var (node, port) = path is { Count: > 0 } ? path[^1] : (root, null);
        var activity = (JsonObject)node.DeepClone();
        if (IsFlowActivity(activity, registry) && await ChildRootAsync(activity, definitions, cancellationToken) is { } childRoot)
        {
            await DefinitionActivityVersions.RefreshAsync([childRoot], flows, cancellationToken);
            activity["root"] = childRoot;
        }

        return TypedResults.Ok(Node(activity, port));
    }

    /// <summary>
    /// The activity with node id <c>childNodeId</c>, the container the designer shows it in and the path of containers
    /// from the root down to it (each: the container's node id, id, type, name and the port the path goes through).
    /// </summary>
    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult, ValidationProblem>> GetPathSegments(
        string id, string? childNodeId, [FromServices] IWorkflowDefinitionService definitions, [FromServices] IWorkflowDefinitionActivities flows,
        CancellationToken cancellationToken)
    {
        if (await LoadTreeAsync(id, definitions, flows, cancellationToken) is not { } root)
        {
            return ElsaRequests.NotFound($"No workflow definition version '{id}'.");
        }

        if (string.IsNullOrWhiteSpace(childNodeId))
        {
            return ElsaRequests.Invalid(new() { ["childNodeId"] = ["The node id of an activity is required."] });
        }

        if (ElsaNodeIds.PathTo(root, childNodeId) is not { } path)
        {
            return ElsaRequests.Invalid(new() { ["childNodeId"] = ["Unknown node id: no activity of this version has it."] });
        }

        // From the activity up: each container that is not a canvas is a step, entered through the port below it.
        var segments = new List<JsonObject>();
        var containerIndex = 0;
        for (var i = path.Count - 2; i >= 0; i--)
        {
            var (container, _) = path[i];
            if (container["type"]?.GetValue<string>() is { } type && !CanvasTypes.Contains(type))
            {
                if (segments.Count == 0)
                {
                    containerIndex = i;
                }

                segments.Add(new JsonObject
                {
                    ["activityNodeId"] = container["nodeId"]?.DeepClone(),
                    ["activityId"] = container["id"]?.DeepClone(),
                    ["activityType"] = type,
                    ["portName"] = path[i + 1].Port,
                    ["activityName"] = container["name"] is JsonValue name && name.GetValueKind() == JsonValueKind.String ? name.GetValue<string>() : type,
                });
            }
        }

        segments.Reverse();
        var (child, childPort) = path[^1];
        var (containerNode, containerPort) = path[containerIndex];
        return TypedResults.Ok(new JsonObject
        {
            ["childNode"] = Node((JsonObject)child.DeepClone(), childPort),
            ["container"] = Node((JsonObject)containerNode.DeepClone(), containerPort),
            ["pathSegments"] = new JsonArray([.. segments]),
        });
    }

    /// <summary>The tree of a version with its node ids and its nodes' upgrade hints (<see cref="DefinitionActivityVersions"/>).</summary>
    private static async Task<JsonObject?> LoadTreeAsync(string id, IWorkflowDefinitionService definitions, IWorkflowDefinitionActivities flows, CancellationToken cancellationToken)
    {
        var version = await definitions.FindByIdAsync(id, cancellationToken);
        if (version?.Model["root"] is not JsonObject stored)
        {
            return null;
        }

        var root = (JsonObject)stored.DeepClone();
        ElsaNodeIds.AssignMissing(root);
        await DefinitionActivityVersions.RefreshAsync([root], flows, cancellationToken);
        return root;
    }

    private static JsonObject Node(JsonObject activity, string? port) => new()
    {
        ["nodeId"] = activity["nodeId"]?.DeepClone(),
        ["port"] = port,
        ["activity"] = activity,
    };

    /// <summary>A node using a flow as an activity: it names the flow by a plain id and its type is no registered class.</summary>
    private static bool IsFlowActivity(JsonObject activity, IActivityRegistry registry) =>
        activity["workflowDefinitionId"] is JsonValue id && id.GetValueKind() == JsonValueKind.String
        && activity["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String
        && (registry.Find(type.GetValue<string>())?.ClrType is not { } clr || clr == typeof(WorkflowDefinitionActivity));

    /// <summary>The root of the version a flow activity runs (the version it pins, else the published one), node ids under the node's own.</summary>
    private static async Task<JsonObject?> ChildRootAsync(JsonObject activity, IWorkflowDefinitionService definitions, CancellationToken cancellationToken)
    {
        var definitionId = activity["workflowDefinitionId"]!.GetValue<string>();
        var version = (activity["workflowDefinitionVersionId"] is JsonValue versionId && versionId.GetValueKind() == JsonValueKind.String
                          ? await definitions.FindByIdAsync(versionId.GetValue<string>(), cancellationToken)
                          : null) is { } pinned && pinned.DefinitionId == definitionId
            ? pinned
            : activity["version"] is JsonValue number && number.TryGetValue<int>(out var n)
                ? await definitions.FindAsync(definitionId, VersionOptions.SpecificVersion(n), cancellationToken)
                  ?? await definitions.FindAsync(definitionId, VersionOptions.Published, cancellationToken)
                : await definitions.FindAsync(definitionId, VersionOptions.Published, cancellationToken);
        if (version?.Model["root"] is not JsonObject childRoot)
        {
            return null;
        }

        var root = (JsonObject)childRoot.DeepClone();
        ElsaNodeIds.Reassign(root, activity["nodeId"]?.GetValue<string>() ?? ElsaNodeIds.WorkflowNodeId);
        return root;
    }
}
