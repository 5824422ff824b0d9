using Jint;
using Jint.Native;
using Jint.Native.Function;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace MentorFlow.Workflows.Expressions;

/// <summary>
/// Replaces the JavaScript built-ins that make a large string in one call (<c>repeat</c>, <c>padStart</c>,
/// <c>padEnd</c>, <c>concat</c>, <c>replace</c>, <c>replaceAll</c>, <c>Array.prototype.join</c>) with versions that
/// work out the result's length first and refuse one over the limit before allocating it. Jint checks its memory limit
/// between statements only, so <c>'x'.repeat(5e8)</c> would otherwise allocate a gigabyte in a single statement.
/// </summary>
internal static class BoundedScripts
{
    public static void Install(Engine engine, long limit)
    {
        var strings = Prototype(engine, "String");
        Bound(engine, strings, "repeat", limit, (self, args) => (double)Text(self).Length * Number(args, 0));
        Bound(engine, strings, "padStart", limit, (self, args) => Math.Max(Text(self).Length, Number(args, 0)));
        Bound(engine, strings, "padEnd", limit, (self, args) => Math.Max(Text(self).Length, Number(args, 0)));
        Bound(engine, strings, "concat", limit, (self, args) => Text(self).Length + args.Sum(a => (double)(a.IsString() ? a.AsString().Length : 24)));
        Bound(engine, strings, "replace", limit, (self, args) => Replaced(Text(self), args, all: false));
        Bound(engine, strings, "replaceAll", limit, (self, args) => Replaced(Text(self), args, all: true));
        Bound(engine, Prototype(engine, "Array"), "join", limit, Joined);
    }

    private static ObjectInstance Prototype(Engine engine, string constructor) =>
        engine.GetValue(constructor).AsObject().Get("prototype").AsObject();

    private static void Bound(Engine engine, ObjectInstance prototype, string name, long limit, Func<JsValue, JsValue[], double> estimate)
    {
        if (prototype.Get(name) is not Function original)
        {
            return;
        }

        var what = $"A string built by {name}()";
        prototype.Set(name, new ClrFunction(engine, name, (self, args) =>
        {
            if (estimate(self, args) > limit)
            {
                throw ExpressionLimits.Output(what, limit);
            }

            var result = original.Call(self, args);
            if (result.IsString())
            {
                ExpressionLimits.CheckText(result.AsString(), limit, what);
            }

            return result;
        }, original.Get("length").IsNumber() ? (int)original.Get("length").AsNumber() : 0));
    }

    private static string Text(JsValue value) => value.IsString() ? value.AsString() : TypeConverter.ToString(value);

    private static double Number(JsValue[] args, int index)
    {
        var number = args.Length > index ? TypeConverter.ToNumber(args[index]) : 0;
        return double.IsNaN(number) ? 0 : number;
    }

    /// <summary>
    /// The longest result a replace can have: with a string pattern each occurrence is counted; with a regular
    /// expression every position may match. A replacement string with <c>$</c> patterns may repeat the match.
    /// </summary>
    private static double Replaced(string text, JsValue[] args, bool all)
    {
        if (args.Length < 2 || !args[1].IsString())
        {
            return text.Length;
        }

        var replacement = args[1].AsString();
        if (args[0].IsString())
        {
            var pattern = args[0].AsString();
            var grows = replacement.Contains('$', StringComparison.Ordinal) ? (double)replacement.Length * Math.Max(1, pattern.Length) : replacement.Length;
            if (grows <= pattern.Length)
            {
                return text.Length;
            }

            double count = 0;
            if (pattern.Length == 0)
            {
                count = all ? text.Length + 1 : 1;
            }
            else
            {
                for (var at = text.IndexOf(pattern, StringComparison.Ordinal); at >= 0 && (all || count == 0); at = text.IndexOf(pattern, at + pattern.Length, StringComparison.Ordinal))
                {
                    count++;
                }
            }

            return text.Length + (count * (grows - pattern.Length));
        }

        // A regular expression: only refuse what would be far over the limit even if few positions match (the result is
        // checked after the call anyway), so ordinary replacements in longer texts still work.
        var perMatch = replacement.Contains('$', StringComparison.Ordinal) ? (double)replacement.Length * Math.Max(1, text.Length) : replacement.Length;
        return (text.Length + ((text.Length + 1d) * perMatch)) / 16;
    }

    private static double Joined(JsValue self, JsValue[] args)
    {
        if (self is not ObjectInstance array)
        {
            return 0;
        }

        var length = TypeConverter.ToNumber(array.Get("length"));
        if (double.IsNaN(length) || length <= 0)
        {
            return 0;
        }

        var separator = args.Length > 0 && !args[0].IsUndefined() ? Text(args[0]).Length : 1;
        var total = (length - 1) * separator;
        if (length > int.MaxValue / 2 || total > int.MaxValue / 2)
        {
            return double.MaxValue;
        }

        for (uint i = 0; i < length && i < uint.MaxValue; i++)
        {
            var item = array.Get(i);
            total += item.IsString() ? item.AsString().Length : item.IsNull() || item.IsUndefined() ? 0 : 24;
        }

        return total;
    }
}
