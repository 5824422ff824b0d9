using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Activities.BuiltIn;
using MentorFlow.Workflows.Descriptors;
using MentorFlow.Workflows.Expressions;
using MentorFlow.Workflows.Runtime;

namespace MentorFlow.Workflows.Definitions;

/// <summary>
/// Workflow-definition activities, Elsa 3's way of offering a published flow whose options say
/// <c>usableAsActivity</c> as a toolbox activity of its own type: the descriptor (type = the flow's name in
/// PascalCase, its declared inputs, outputs and outcomes), and reading the nodes of a parent flow that use one (they
/// carry <c>workflowDefinitionId</c>, <c>workflowDefinitionVersionId</c> and <c>version</c> as plain values).
/// </summary>
internal static class DefinitionActivities
{
    public const string RootType = "WorkflowDefinitionActivity";
    public const string DefaultCategory = "Workflows";

    /// <summary>
    /// Names Elsa's activity class already has: a declared input or output of that name is exposed as <c>_Name</c>
    /// (the JSON of the parent's node keeps it under <c>_name</c>).
    /// </summary>
    private static readonly HashSet<string> ReservedNames = new(StringComparer.Ordinal)
    {
        "Id", "NodeId", "Name", "Type", "Version", "CustomProperties", "Metadata", "SyntheticProperties", "Variables",
        "Root", "WorkflowDefinitionId", "WorkflowDefinitionVersionId", "LatestAvailablePublishedVersion",
        "LatestAvailablePublishedVersionId", "RunAsynchronously", "CanStartWorkflow", "Behaviors", "Source", "Line",
    };

    /// <summary>The flow's options say it may be used as an activity (<c>options.usableAsActivity</c>, <c>true</c> or <c>"True"</c>).</summary>
    public static bool IsUsableAsActivity(JsonObject model) =>
        DefinitionReader.Get(model, "options") is JsonObject options && DefinitionReader.Get(options, "usableAsActivity") is JsonValue value
        && (value.GetValueKind() == JsonValueKind.True
            || (value.GetValueKind() == JsonValueKind.String && bool.TryParse(value.GetValue<string>(), out var flag) && flag));

    /// <summary>The activity type name of a flow: its name in PascalCase (spaces and underscores dropped, the next letter upper-cased).</summary>
    public static string TypeName(string name) => ElsaScriptEnvironment.Pascalize(name.Trim());

    /// <summary>The name an input or output of the flow has on the activity (Elsa prefixes names its activity class already has with <c>_</c>).</summary>
    public static string SafeName(string name) => ReservedNames.Contains(name) ? "_" + name : name;

    /// <summary>The JSON property of a parent's node holding an input or output (its safe name with a lower-case first letter).</summary>
    public static string JsonName(string name)
    {
        var safe = SafeName(name);
        return char.ToLowerInvariant(safe[0]) + safe[1..];
    }

    /// <summary>A node naming its flow by a plain <c>workflowDefinitionId</c> value (Execute Workflow's is an input object).</summary>
    public static bool NamesDefinition(JsonObject node) =>
        DefinitionReader.Get(node, "workflowDefinitionId") is JsonValue id && id.GetValueKind() == JsonValueKind.String;

    /// <summary>
    /// The descriptor of a node: a registered activity class as found; for a node using a flow as an activity, the
    /// descriptor of exactly the version it pins when <paramref name="registry"/> knows it, else <see cref="Unresolved"/>.
    /// </summary>
    public static ActivityDescriptor? Resolve(JsonObject node, string type, int version, IActivityRegistry registry)
    {
        var exact = registry.Find(type, version);
        if (!NamesDefinition(node) || exact is { ClrType: { } clr } && clr != typeof(WorkflowDefinitionActivity))
        {
            return exact ?? registry.Find(type);
        }

        return exact is not null && exact.CustomProperties.TryGetValue("WorkflowDefinitionId", out var id)
               && string.Equals(id as string, DefinitionReader.Str(node, "workflowDefinitionId"), StringComparison.Ordinal)
            ? exact
            : registry.Find(type) is { ClrType: { } other } && other != typeof(WorkflowDefinitionActivity) ? registry.Find(type) : Unresolved(type, version);
    }

    /// <summary>The child a node pins: definition id, version id (may be absent) and version number.</summary>
    public static DefinitionActivityReference Reference(JsonObject node) => new(
        DefinitionReader.Str(node, "id") ?? "",
        DefinitionReader.Str(node, "workflowDefinitionId") ?? "",
        DefinitionReader.Str(node, "workflowDefinitionVersionId") is { Length: > 0 } versionId ? versionId : null,
        DefinitionReader.Get(node, "version") is JsonValue v && v.TryGetValue<int>(out var version) ? version : 1);

    /// <summary>
    /// The descriptor of one version of a flow usable as an activity, in Elsa's shape: the embedded <c>Root</c> port
    /// (not browsable) then one flow port per declared outcome (none: the designer shows <c>Done</c>); browsable (in
    /// the toolbox) only when this version is the published one.
    /// </summary>
    public static ActivityDescriptor Describe(DefinitionActivityVersion version)
    {
        var model = version.Model;
        var name = version.Name ?? version.DefinitionId;
        var typeName = TypeName(name);
        var options = DefinitionReader.Get(model, "options") as JsonObject;
        var category = options is null ? null : DefinitionReader.Str(options, "activityCategory");
        var ports = new List<PortDescriptor> { new() { Name = "Root", DisplayName = "Root", Type = PortDescriptor.EmbeddedType, IsBrowsable = false } };
        ports.AddRange(Outcomes(model).Select(o => new PortDescriptor { Name = o, DisplayName = o }));
        var order = 0f;
        return new ActivityDescriptor
        {
            TypeName = typeName,
            Namespace = "",
            Name = typeName,
            Version = version.Version,
            Category = string.IsNullOrWhiteSpace(category) ? DefaultCategory : category,
            DisplayName = name,
            Description = version.Description,
            Kind = "Action",
            IsBrowsable = version.IsPublished,
            Inputs =
            [
                .. Declared(model, "inputs").Select(input => new InputDescriptor
                {
                    Name = SafeName(input.Name),
                    TypeName = input.TypeName,
                    DisplayName = input.DisplayName ?? input.Name,
                    Description = input.Description,
                    Category = input.Category,
                    UIHint = input.UIHint ?? "singleline",
                    StorageDriverType = input.StorageDriverType,
                    Order = order++,
                    IsSynthetic = true,
                    ClrType = ClrTypeOf(input.TypeName),
                }),
            ],
            Outputs =
            [
                .. Declared(model, "outputs").Select((output, index) => new OutputDescriptor
                {
                    Name = SafeName(output.Name),
                    TypeName = output.TypeName,
                    DisplayName = output.DisplayName ?? output.Name,
                    Description = output.Description,
                    Order = index,
                    IsSynthetic = true,
                }),
            ],
            Ports = ports,
            CustomProperties = new Dictionary<string, object?>
            {
                ["RootType"] = RootType,
                ["WorkflowDefinitionId"] = version.DefinitionId,
                ["WorkflowDefinitionVersionId"] = version.Id,
            },
            ConstructionProperties = new Dictionary<string, object?>
            {
                ["WorkflowDefinitionId"] = version.DefinitionId,
                ["WorkflowDefinitionVersionId"] = version.Id,
                ["Version"] = version.Version,
            },
            ClrType = typeof(WorkflowDefinitionActivity),
        };
    }

    /// <summary>
    /// The descriptor of a node whose flow is not known here (not loaded, retracted, deleted): any port is accepted;
    /// publishing checks the flow itself and running it raises an incident naming what is missing.
    /// </summary>
    public static ActivityDescriptor Unresolved(string typeName, int version) => new()
    {
        TypeName = typeName,
        Namespace = "",
        Name = typeName,
        Version = version,
        Category = DefaultCategory,
        IsBrowsable = false,
        CustomProperties = new Dictionary<string, object?> { ["RootType"] = RootType },
        ClrType = typeof(WorkflowDefinitionActivity),
    };

    /// <summary>The outcome ports a node of this descriptor has: the declared outcomes and <c>Done</c> (what a child that ends without naming an outcome completes with).</summary>
    public static IReadOnlyList<string> Outcomes(ActivityDescriptor descriptor) =>
        descriptor.CustomProperties.ContainsKey("WorkflowDefinitionVersionId")
            ? [.. descriptor.Ports.Where(p => p.Type == PortDescriptor.FlowType).Select(p => p.Name).Prepend("Done").Distinct(StringComparer.Ordinal)]
            : ["*"];

    /// <summary>The outcomes a flow declares (<c>outcomes</c>: names).</summary>
    public static IReadOnlyList<string> Outcomes(JsonObject model) =>
        [.. (DefinitionReader.Get(model, "outcomes") as JsonArray ?? []).OfType<JsonValue>()
            .Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>().Trim())
            .Where(o => o.Length > 0).Distinct(StringComparer.Ordinal)];

    /// <summary>The inputs or outputs a flow declares, in Elsa's <c>InputDefinition</c>/<c>OutputDefinition</c> shape.</summary>
    public static IReadOnlyList<DeclaredMember> Declared(JsonObject model, string member) =>
        [.. (DefinitionReader.Get(model, member) as JsonArray ?? []).OfType<JsonObject>()
            .Where(m => DefinitionReader.Str(m, "name") is { Length: > 0 })
            .Select(m => new DeclaredMember(
                DefinitionReader.Str(m, "name")!.Trim(),
                DefinitionReader.Str(m, "type") ?? DefinitionReader.Str(m, "typeName") ?? "Object",
                DefinitionReader.Str(m, "displayName") is { Length: > 0 } display ? display : null,
                DefinitionReader.Str(m, "description"),
                DefinitionReader.Str(m, "category") is { Length: > 0 } category ? category : null,
                DefinitionReader.Str(m, "uiHint") is { Length: > 0 } hint ? hint : null,
                DefinitionReader.Str(m, "storageDriverType")))
            .DistinctBy(m => m.Name, StringComparer.Ordinal)];

    /// <summary>The .NET type an input's value is converted to before the child gets it (others pass as JSON).</summary>
    public static Type ClrTypeOf(string typeName) => typeName switch
    {
        "String" => typeof(string),
        "Boolean" => typeof(bool),
        "Int32" => typeof(int),
        "Int64" => typeof(long),
        "Double" => typeof(double),
        "Single" => typeof(float),
        "Decimal" => typeof(decimal),
        "Guid" => typeof(Guid),
        "DateTime" => typeof(DateTime),
        "DateTimeOffset" => typeof(DateTimeOffset),
        "TimeSpan" => typeof(TimeSpan),
        _ => typeof(JsonNode),
    };

    /// <summary>
    /// The version a reference runs, from the versions of its flow: for a definition activity the version it pins (by
    /// version id, else by number) unless that is newer than the published one or gone, then the published one; for
    /// Execute/Dispatch Workflow the published one. Null when the flow has no published version.
    /// </summary>
    public static DefinitionVersionRow? Choose(IReadOnlyList<DefinitionVersionRow> versions, DefinitionActivityReference reference)
    {
        var published = versions.FirstOrDefault(v => v.IsPublished);
        if (published is null || !reference.IsDefinitionActivity)
        {
            return published;
        }

        var pinned = (reference.VersionId is null ? null : versions.FirstOrDefault(v => v.Id == reference.VersionId))
                     ?? versions.FirstOrDefault(v => v.Version == reference.Version);
        return pinned is not null && pinned.Version <= published.Version ? pinned : published;
    }

    /// <summary>
    /// The children a flow starts: each node using a flow as an activity (with the version it pins) and each Execute
    /// Workflow or Dispatch Workflow naming a definition id as a literal.
    /// </summary>
    public static IEnumerable<DefinitionActivityReference> References(FlowchartDefinition flowchart)
    {
        foreach (var node in flowchart.ActivityOrder)
        {
            if (node.Descriptor?.ClrType == typeof(WorkflowDefinitionActivity))
            {
                yield return Reference(node.Json);
            }
            else if ((node.Descriptor?.ClrType == typeof(ExecuteWorkflow) || node.Descriptor?.ClrType == typeof(DispatchWorkflow))
                     && ActivityBinder.ReadExpression(DefinitionReader.Get(node.Json, "workflowDefinitionId")) is { Type: ExpressionSyntax.Literal, Value: { Length: > 0 } child })
            {
                yield return new DefinitionActivityReference(node.Id, child.Trim(), null, null);
            }
        }
    }
}

/// <summary>The flow a node starts: a pinned version (id, else number) for a definition activity, none (the published one) for Execute/Dispatch Workflow.</summary>
internal sealed record DefinitionActivityReference(string ActivityId, string DefinitionId, string? VersionId, int? Version)
{
    public bool IsDefinitionActivity => Version is not null;
}

/// <summary>What choosing a version needs to know of each version of a flow.</summary>
internal sealed record DefinitionVersionRow(string Id, int Version, bool IsPublished, string? Name);

/// <summary>One version of a flow as the descriptor needs it.</summary>
internal sealed record DefinitionActivityVersion(string Id, string DefinitionId, string? Name, string? Description, int Version, bool IsPublished, JsonObject Model);

/// <summary>An input or output a flow declares.</summary>
internal sealed record DeclaredMember(string Name, string TypeName, string? DisplayName, string? Description, string? Category, string? UIHint, string? StorageDriverType);
