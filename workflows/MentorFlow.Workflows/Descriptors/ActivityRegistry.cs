using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Activities;

namespace MentorFlow.Workflows.Descriptors;

internal sealed class ActivityRegistry : IActivityRegistry
{
    public const string FlowchartType = "Elsa.Flowchart";
    public const string SequenceType = "Elsa.Sequence";

    private readonly IReadOnlyList<ActivityDescriptor> _all;
    private readonly Dictionary<string, List<ActivityDescriptor>> _byType;
    private readonly ConcurrentDictionary<Type, Func<JsonObject, IReadOnlyList<string>>?> _dynamic = new();

    public ActivityRegistry(IEnumerable<ActivityRegistration> registrations)
    {
        var descriptors = new List<ActivityDescriptor> { FlowchartDescriptor(), SequenceDescriptor() };
        foreach (var type in registrations.Select(r => r.ActivityType).Distinct())
        {
            descriptors.Add(Describe(type));
        }

        var duplicates = descriptors.GroupBy(d => (d.TypeName, d.Version)).Where(g => g.Count() > 1).Select(g => g.Key.TypeName).ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidOperationException($"Activity types registered twice by different classes: {string.Join(", ", duplicates)}.");
        }

        _all = [.. descriptors.OrderBy(d => d.Category, StringComparer.Ordinal).ThenBy(d => d.TypeName, StringComparer.Ordinal)];
        _byType = descriptors.GroupBy(d => d.TypeName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(d => d.Version).ToList(), StringComparer.Ordinal);
    }

    public IReadOnlyList<ActivityDescriptor> List() => _all;

    public ActivityDescriptor? Find(string typeName, int? version = null)
    {
        if (!_byType.TryGetValue(typeName, out var versions))
        {
            return null;
        }

        return version is null ? versions[0] : versions.FirstOrDefault(d => d.Version == version);
    }

    public IReadOnlyList<string> GetOutcomes(ActivityDescriptor descriptor, JsonObject activityJson)
    {
        if (descriptor.ClrType == typeof(Activities.BuiltIn.WorkflowDefinitionActivity))
        {
            return Definitions.DefinitionActivities.Outcomes(descriptor);
        }

        if (!descriptor.HasDynamicOutcomes || descriptor.ClrType is null)
        {
            return [.. descriptor.Ports.Where(p => p.Type == PortDescriptor.FlowType).Select(p => p.Name)];
        }

        var resolver = _dynamic.GetOrAdd(descriptor.ClrType, static type =>
        {
            var map = type.GetInterfaceMap(typeof(IHasDynamicOutcomes));
            var method = map.TargetMethods[0];
            return method.CreateDelegate<Func<JsonObject, IReadOnlyList<string>>>();
        });
        return resolver!(activityJson);
    }

    internal static ActivityDescriptor Describe(Type type)
    {
        var attribute = type.GetCustomAttribute<ActivityAttribute>()
            ?? throw new InvalidOperationException($"Activity class {type.FullName} has no [Activity] attribute.");
        if (!typeof(Activity).IsAssignableFrom(type) || type.IsAbstract)
        {
            throw new InvalidOperationException($"{type.FullName} must be a concrete subclass of Activity.");
        }

        var name = attribute.TypeNameOverride ?? type.Name;
        var outcomes = type.GetCustomAttribute<OutcomesAttribute>()?.Names ?? ["Done"];
        var dynamic = typeof(IHasDynamicOutcomes).IsAssignableFrom(type);
        var inputs = new List<InputDescriptor>();
        var outputs = new List<OutputDescriptor>();
        var order = 0f;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var propertyType = property.PropertyType;
            if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Input<>))
            {
                var valueType = propertyType.GetGenericArguments()[0];
                var input = property.GetCustomAttribute<InputAttribute>() ?? new InputAttribute();
                var uiHint = input.UIHint ?? (input.Options is { Length: > 0 } || valueType.IsEnum ? "dropdown" : DefaultUiHint(valueType));
                var options = input.Options ?? (valueType.IsEnum ? Enum.GetNames(valueType) : null);
                inputs.Add(new InputDescriptor
                {
                    Name = property.Name,
                    TypeName = FriendlyTypeName(valueType),
                    DisplayName = input.DisplayName ?? SplitWords(property.Name),
                    Description = input.Description,
                    Order = input.Order != 0 ? input.Order : order++,
                    UIHint = uiHint,
                    UISpecifications = options is null
                        ? null
                        : new Dictionary<string, object?>
                        {
                            ["dropdown"] = new Dictionary<string, object?>
                            {
                                ["items"] = options.Select(o => new Dictionary<string, object?> { ["text"] = o, ["value"] = o }).ToList(),
                            },
                        },
                    DefaultSyntax = input.DefaultSyntax ?? ExpressionSyntax.Literal,
                    DefaultValue = input.DefaultValue,
                    Category = input.Category,
                    IsBrowsable = input.IsBrowsable,
                    IsWrapped = input.IsWrapped,
                    Required = input.Required,
                    Content = input.Content,
                    ClrType = valueType,
                });
            }
            else if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Output<>))
            {
                var output = property.GetCustomAttribute<OutputAttribute>();
                outputs.Add(new OutputDescriptor
                {
                    Name = property.Name,
                    TypeName = FriendlyTypeName(propertyType.GetGenericArguments()[0]),
                    DisplayName = output?.DisplayName ?? SplitWords(property.Name),
                    Description = output?.Description,
                    Order = outputs.Count,
                });
            }
        }

        var typeName = $"{attribute.Namespace}.{name}";
        return new ActivityDescriptor
        {
            TypeName = typeName,
            Namespace = attribute.Namespace,
            Name = name,
            Version = attribute.Version,
            Category = attribute.Category,
            DisplayName = attribute.DisplayName ?? SplitWords(name),
            Description = attribute.Description,
            Kind = attribute.Kind.ToString(),
            Inputs = inputs,
            Outputs = outputs,
            Ports =
            [
                .. dynamic ? [] : outcomes.Select(o => new PortDescriptor { Name = o, DisplayName = o }),

                // Elsa's activities with a body have it as an embedded port: the designer shows it in the node and opens it.
                .. typeof(IBodyActivity).IsAssignableFrom(type) ? [new PortDescriptor { Name = "Body", DisplayName = "Body", Type = PortDescriptor.EmbeddedType }] : Array.Empty<PortDescriptor>(),
            ],
            IsBrowsable = attribute.IsBrowsable,
            IsStart = typeName == "Elsa.Start",
            IsTerminal = typeName is "Elsa.End" or "Elsa.Finish" or "Elsa.Complete" or "Elsa.Fault",
            CustomProperties = new Dictionary<string, object?>(),
            ClrType = type,
            HasDynamicOutcomes = dynamic,
        };
    }

    private static ActivityDescriptor FlowchartDescriptor() => new()
    {
        TypeName = FlowchartType,
        Namespace = "Elsa",
        Name = "Flowchart",
        Version = 1,
        Category = "Flow",
        DisplayName = "Flowchart",
        Description = "A flowchart: activities connected through their outcome ports.",
        Kind = "Action",
        IsContainer = true,
        IsBrowsable = false,
        CustomProperties = new Dictionary<string, object?> { ["RootType"] = "Flowchart" },
        Ports = [new PortDescriptor { Name = "Done", DisplayName = "Done" }],
    };

    private static ActivityDescriptor SequenceDescriptor() => new()
    {
        TypeName = SequenceType,
        Namespace = "Elsa",
        Name = "Sequence",
        Version = 1,
        Category = "Flow",
        DisplayName = "Sequence",
        Description = "Run a set of activities one after another.",
        Kind = "Action",
        IsContainer = true,
        IsBrowsable = false,
        CustomProperties = new Dictionary<string, object?> { ["RootType"] = "Sequence" },
        Ports = [new PortDescriptor { Name = "Done", DisplayName = "Done" }],
    };

    internal static string FriendlyTypeName(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            return "String";
        }

        if (underlying.IsArray)
        {
            return FriendlyTypeName(underlying.GetElementType()!) + "[]";
        }

        if (underlying != typeof(string) && underlying.IsGenericType && typeof(IEnumerable).IsAssignableFrom(underlying))
        {
            var args = underlying.GetGenericArguments();
            return args.Length == 1 ? FriendlyTypeName(args[0]) + "[]" : "Object";
        }

        if (underlying == typeof(object) || underlying.Name.StartsWith("Json", StringComparison.Ordinal))
        {
            return "Object";
        }

        return underlying.Name;
    }

    private static string DefaultUiHint(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(bool))
        {
            return "checkbox";
        }

        if (underlying == typeof(DateTimeOffset) || underlying == typeof(DateTime))
        {
            return "datetime-picker";
        }

        return underlying == typeof(string) || underlying.IsPrimitive || underlying == typeof(TimeSpan) || underlying == typeof(decimal)
            ? "singleline"
            : "json-editor";
    }

    internal static string SplitWords(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && !char.IsUpper(name[i - 1]))
            {
                builder.Append(' ');
            }

            builder.Append(name[i]);
        }

        return builder.ToString();
    }
}
