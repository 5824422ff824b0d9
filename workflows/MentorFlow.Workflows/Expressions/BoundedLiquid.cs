using Fluid;
using Fluid.Values;

namespace MentorFlow.Workflows.Expressions;

/// <summary>
/// Fluid options whose templates cannot build a value larger than the output limit: <c>append</c>, <c>prepend</c>,
/// <c>replace</c> and <c>join</c> refuse before allocating a result over it, every other filter's text result, every
/// <c>assign</c> and <c>capture</c> is checked, and the step limit bounds loops. (The rendered output itself is bounded
/// by <see cref="BoundedWriter"/>.)
/// </summary>
internal static class BoundedLiquid
{
    public static TemplateOptions Options(int maxSteps, long limit)
    {
        var options = new TemplateOptions { MaxSteps = maxSteps, MaxRecursion = 32 };
        foreach (var (name, filter) in options.Filters.ToList())
        {
            options.Filters.AddFilter(name, Bounded(name, filter, limit));
        }

        options.Assigned = (_, value, _) => Checked(value, limit, "A value assigned in Liquid");
        options.Captured = (_, value, _) => Checked(value, limit, "A value captured in Liquid");
        return options;
    }

    private static FilterDelegate Bounded(string name, FilterDelegate filter, long limit) => (input, arguments, context) =>
    {
        var estimate = Estimate(name, input, arguments);
        if (estimate > limit)
        {
            throw ExpressionLimits.Output($"The result of the Liquid filter '{name}'", limit);
        }

        var result = filter(input, arguments, context);
        return result.IsCompletedSuccessfully ? Checked(result.Result, limit, $"The result of the Liquid filter '{name}'") : Await(result, name, limit);
    };

    private static async ValueTask<FluidValue> Await(ValueTask<FluidValue> result, string name, long limit) =>
        await Checked(await result, limit, $"The result of the Liquid filter '{name}'");

    private static ValueTask<FluidValue> Checked(FluidValue value, long limit, string what)
    {
        if (value is StringValue text)
        {
            ExpressionLimits.CheckText(text.ToStringValue(), limit, what);
        }

        return new ValueTask<FluidValue>(value);
    }

    /// <summary>The length in characters of the text a string-building filter would produce (0 for other filters).</summary>
    private static long Estimate(string name, FluidValue input, FilterArguments arguments)
    {
        switch (name)
        {
            case "append":
            case "prepend":
                return (long)input.ToStringValue().Length + arguments.At(0).ToStringValue().Length;
            case "replace":
                {
                    var text = input.ToStringValue();
                    var target = arguments.At(0).ToStringValue();
                    var replacement = arguments.At(1).ToStringValue();
                    if (target.Length == 0 || replacement.Length <= target.Length)
                    {
                        return text.Length;
                    }

                    long count = 0;
                    for (var at = text.IndexOf(target, StringComparison.Ordinal); at >= 0; at = text.IndexOf(target, at + target.Length, StringComparison.Ordinal))
                    {
                        count++;
                    }

                    return text.Length + (count * (replacement.Length - target.Length));
                }

            case "join":
                {
                    if (input is not ArrayValue array)
                    {
                        return input.ToStringValue().Length;
                    }

                    var separator = arguments.Count > 0 ? arguments.At(0).ToStringValue().Length : 1;
                    long total = (long)Math.Max(0, array.Values.Count - 1) * separator;
                    foreach (var item in array.Values)
                    {
                        total += item is StringValue s ? s.ToStringValue().Length : 24;
                    }

                    return total;
                }

            default:
                return 0;
        }
    }
}
