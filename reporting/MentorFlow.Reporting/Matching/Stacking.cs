namespace MentorFlow.Reporting.Matching;

/// <summary>
/// One candidate inside <see cref="TrainerKind.Stack"/>: its share of the stack's spread (its weight × the standard
/// deviation of its held-out scores, over the sum of those; the shares add up to 1).
/// </summary>
public sealed record StackMember(TrainerKind Trainer, double Share);

/// <summary>
/// The <see cref="TrainerKind.Stack"/> candidate: the linear candidates combined by non-negative least squares on their
/// held-out scores and folded into one linear model.
/// </summary>
internal static class Stacking
{
    /// <summary>Sweeps of the stack's coordinate descent (a handful of members converge in tens).</summary>
    private const int MaxSweeps = 2000;

    /// <summary>
    /// The models <see cref="TrainerKind.Stack"/> combines: every linear candidate and the goal ridge
    /// (<see cref="TrainerKind.RidgeGoals"/>); each is a <see cref="RidgeModel"/>.
    /// </summary>
    public static readonly IReadOnlyList<TrainerKind> Members =
    [
        TrainerKind.LassoLinear, TrainerKind.LassoGated, TrainerKind.RidgeLinear, TrainerKind.RidgeInteractions,
        TrainerKind.RidgeInteractionsComposite, TrainerKind.RidgeGoals,
    ];

    /// <summary>
    /// The stack of the linear candidates (<see cref="Members"/>, cross-validated on the same folds): the
    /// non-negative weights and intercept whose combination of the members' held-out scores best predicts the composite
    /// target (non-negative least squares), applied to the members' fitted models and folded into one linear model
    /// (<see cref="RidgeModel.Combine"/>). Its own held-out scores use weights fitted without the fold (cross-fitted),
    /// so its assignment lift is as honest as the members'.
    /// </summary>
    public static CandidateRun Stack(IReadOnlyList<CandidateRun> members, double[] target, int[] fold, int k)
    {
        var n = target.Length;
        var all = Enumerable.Range(0, n).ToArray();
        var (intercept, weights) = Nnls(members, target, all);
        var oof = new double[n];
        for (var f = 0; f < k; f++)
        {
            var (foldIntercept, foldWeights) = Nnls(members, target, [.. all.Where(i => fold[i] != f)]);
            foreach (var i in all.Where(i => fold[i] == f))
            {
                oof[i] = foldIntercept + members.Select((m, j) => foldWeights[j] * m.OutOfFold[i]).Sum();
            }
        }

        var spread = members.Select((m, j) => weights[j] * BlendScaling.Moments(m.OutOfFold).Sd).ToArray();
        var total = spread.Sum();
        IReadOnlyList<StackMember> shares = [.. members.Select((m, j) => new StackMember(m.Kind, total > 0 ? spread[j] / total : 0)).Where(s => s.Share > 0)];

        static RidgeModel Linear(Predictor p) => p is RidgePredictor ridge ? ridge.Model : throw new ArgumentException("a stack member must be linear");
        Predictor Combined(Func<CandidateRun, Predictor> pick) =>
            new RidgePredictor(RidgeModel.Combine(intercept, [.. members.Select((m, j) => (weights[j], m)).Where(x => x.Item1 > 0).Select(x => (x.Item1, Linear(pick(x.m))))]));
        return new CandidateRun(
            TrainerKind.Stack, oof, [.. Enumerable.Range(0, k).Select(f => Combined(m => m.FoldModels[f]))], null, () => Combined(m => m.FitAll()), shares);
    }

    /// <summary>Non-negative least squares of the target on the members' held-out scores (with an intercept), by coordinate descent.</summary>
    private static (double Intercept, double[] Weights) Nnls(IReadOnlyList<CandidateRun> members, double[] target, int[] rows)
    {
        var m = members.Count;
        var means = members.Select(r => rows.Average(i => r.OutOfFold[i])).ToArray();
        var yMean = rows.Average(i => target[i]);
        var x = members.Select((r, j) => rows.Select(i => r.OutOfFold[i] - means[j]).ToArray()).ToArray();
        var y = rows.Select(i => target[i] - yMean).ToArray();
        var gram = new double[m, m];
        var xy = new double[m];
        for (var a = 0; a < m; a++)
        {
            xy[a] = x[a].Zip(y, (p, q) => p * q).Sum();
            for (var b = 0; b < m; b++)
            {
                gram[a, b] = x[a].Zip(x[b], (p, q) => p * q).Sum();
            }
        }

        var w = new double[m];
        for (var sweep = 0; sweep < MaxSweeps; sweep++)
        {
            var change = 0.0;
            for (var a = 0; a < m; a++)
            {
                if (gram[a, a] < 1e-12)
                {
                    continue;
                }

                var r = xy[a];
                for (var b = 0; b < m; b++)
                {
                    if (b != a)
                    {
                        r -= gram[a, b] * w[b];
                    }
                }

                var updated = Math.Max(0, r / gram[a, a]);
                change = Math.Max(change, Math.Abs(updated - w[a]));
                w[a] = updated;
            }

            if (change < 1e-10)
            {
                break;
            }
        }

        return (yMean - w.Select((v, j) => v * means[j]).Sum(), w);
    }
}
