using Fluid;
using Fluid.Ast;

namespace MentorFlow.Workflows.Expressions;

/// <summary>
/// The names a Liquid template reads from its scope: the first segment of every member expression
/// (<c>{{ Pair.MenteeEmail }}</c> reads <c>Pair</c>), less the names the template defines itself (assign, capture,
/// for loop variables, <c>forloop</c>).
/// </summary>
internal sealed class LiquidNames : AstVisitor
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly HashSet<string> _defined = new(StringComparer.Ordinal) { "forloop", "tablerowloop" };

    public static IReadOnlyCollection<string> ReadFromScope(IFluidTemplate template)
    {
        var names = new LiquidNames();
        names.VisitTemplate(template);
        return [.. names._read.Where(n => !names._defined.Contains(n)).Order(StringComparer.Ordinal)];
    }

    protected override Expression VisitMemberExpression(MemberExpression memberExpression)
    {
        if (memberExpression.Segments.Count > 0 && memberExpression.Segments[0] is IdentifierSegment root)
        {
            _read.Add(root.Identifier);
        }

        return base.VisitMemberExpression(memberExpression);
    }

    protected override Statement VisitAssignStatement(AssignStatement assignStatement)
    {
        _defined.Add(assignStatement.Identifier);
        return base.VisitAssignStatement(assignStatement);
    }

    protected override Statement VisitCaptureStatement(CaptureStatement captureStatement)
    {
        _defined.Add(captureStatement.Identifier);
        return base.VisitCaptureStatement(captureStatement);
    }

    protected override Statement VisitForStatement(ForStatement forStatement)
    {
        _defined.Add(forStatement.Identifier);
        return base.VisitForStatement(forStatement);
    }
}
