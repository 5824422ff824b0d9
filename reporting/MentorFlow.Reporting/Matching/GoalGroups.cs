namespace MentorFlow.Reporting.Matching;

/// <summary>
/// Learned goal groups. When what helps a mentee depends on a kind of goal rather than on one goal (four different
/// goals can each make someone a "leadership seeker"), one indicator per goal spreads ~750 outcomes over sixteen
/// goals and sums the effect for a mentee with two of them. This finds such groups in the history and gives each one
/// indicator, on for a mentee who has any goal of the group:
/// <list type="number">
/// <item>a ridge of satisfaction on every input and every goal-dependent feature × goal indicator (<see cref="Terms"/>)
/// gives each goal a profile: its weights on the goal-dependent features (<see cref="ModelInputs.GoalDependent"/>),
/// each × the feature's standard deviation;</item>
/// <item>k-means (k = 2…<see cref="MaxGroups"/>, farthest-point start, deterministic) clusters the profiles;</item>
/// <item>each k is scored by nested cross-validation (profiles and clusters found on the training folds only, the
/// ridge refitted on the grouped indicators along its penalty path, squared error on the held-out fold at the best
/// penalty); the best k is kept only if it beats one indicator per goal, otherwise the goals stay apart.</item>
/// </list>
/// A group is written as its goals joined by <see cref="Separator"/> (the tag separator, which no tag contains).
/// </summary>
internal static class GoalGroups
{
    /// <summary>The most clusters tried.</summary>
    public const int MaxGroups = 5;

    /// <summary>K-means iterations, at most (a few goals converge in a handful).</summary>
    private const int MaxIterations = 100;

    /// <summary>
    /// The terms of the ridge that finds and scores groups: every input and every goal-dependent feature × goal
    /// indicator (the products of two pair features do not tell goals apart, and leaving them out makes this 4× faster).
    /// </summary>
    private static readonly IReadOnlyList<(int First, int Second)> Terms = ModelInputs.GoalTerms;

    /// <summary>Joins the goals of a group in a vocabulary entry.</summary>
    public const char Separator = Data.Tags.Separator;

    /// <summary>
    /// The vocabulary to train with: <paramref name="goals"/> (one per entry) or learned groups of them.
    /// <paramref name="inputsOf"/> gives the model inputs of the history's pairs for a vocabulary; the rows of one
    /// vocabulary are read before the next is asked for, so it may write each into the same rows (<see cref="HistoryInputs"/>).
    /// </summary>
    public static IReadOnlyList<string> Learn(
        IReadOnlyList<string> goals, Func<IReadOnlyList<string>, IReadOnlyList<float[]>> inputsOf, double[] targets, int[] fold, int k)
    {
        if (goals.Count < 3)
        {
            return goals;
        }

        var all = Enumerable.Range(0, targets.Length).ToArray();
        var (train, test) = MatchTrainer.Split(fold, k);
        var single = inputsOf(goals);
        // The single goals' ridges share one pass over the rows (FoldGrams); a grouping's rows are summed again (below).
        var grams = FoldGrams.Build(single, Terms, fold, k);
        var (best, held, perFold) = MatchTrainer.PenaltyPath(single, targets, test, f => RidgeModel.Fit(grams, f, targets, Terms, RidgeModel.Lambdas));
        var lambda = RidgeModel.Lambdas[best];
        var bestError = all.Sum(i => Square(held[i] - targets[i]));
        var bestK = 0;
        var profiles = train.Select((rows, f) => Profiles(perFold[f][best], single, rows, goals.Count)).ToArray();
        for (var clusters = 2; clusters <= Math.Min(MaxGroups, goals.Count - 1); clusters++)
        {
            var vocabularies = profiles.Select(p => Vocabulary(goals, p, clusters)).ToArray();
            // Each penalty of the path, so that fewer goal terms may take a lighter penalty than the single goals did;
            // summed over the folds in order.
            var foldErrors = new double[k][];
            // One vocabulary at a time: folds that group the goals alike (on a large history, most) share its inputs and
            // one pass over the rows.
            for (var f = 0; f < k; f++)
            {
                if (foldErrors[f] is not null)
                {
                    continue;
                }

                var alike = Enumerable.Range(f, k - f).Where(g => vocabularies[g].SequenceEqual(vocabularies[f], StringComparer.Ordinal)).ToArray();
                var inputs = inputsOf(vocabularies[f]);
                var shared = alike.Length > 1 ? FoldGrams.Build(inputs, Terms, fold, k) : null;
                foreach (var g in alike)
                {
                    var models = shared is null
                        ? RidgeModel.Fit(inputs, targets, train[g], Terms, RidgeModel.Lambdas)
                        : RidgeModel.Fit(shared, g, targets, Terms, RidgeModel.Lambdas);
                    foldErrors[g] = [.. models.Select(model => test[g].Sum(i => Square(model.Predict(inputs[i]) - targets[i])))];
                }
            }

            var errors = new double[RidgeModel.Lambdas.Count];
            foreach (var error in foldErrors)
            {
                for (var l = 0; l < errors.Length; l++)
                {
                    errors[l] += error[l];
                }
            }

            if (errors.Min() < bestError)
            {
                (bestError, bestK) = (errors.Min(), clusters);
            }
        }

        if (bestK == 0)
        {
            return goals;
        }

        // The single goals' rows again for their final ridge (the grams were summed on them).
        single = inputsOf(goals);
        return Vocabulary(goals, Profiles(RidgeModel.Fit(grams, -1, targets, Terms, [lambda])[0], single, all, goals.Count), bestK);
    }

    /// <summary>The goals of a vocabulary entry (one goal, or a learned group).</summary>
    public static string[] Members(string entry) => entry.Split(Separator);

    /// <summary>
    /// Each goal's weights in <paramref name="model"/> (a ridge on <see cref="Terms"/>) on the goal-dependent features,
    /// × the feature's standard deviation on the rows it was fitted on.
    /// </summary>
    private static double[][] Profiles(RidgeModel model, IReadOnlyList<float[]> inputs, int[] rows, int goals)
    {
        var dependent = ModelInputs.GoalDependent;
        var profiles = Enumerable.Range(0, goals).Select(_ => new double[dependent.Count]).ToArray();
        var spread = dependent.Select(feature => StandardDeviation(inputs, rows, feature)).ToArray();
        for (var t = 0; t < model.Weights.Length; t++)
        {
            var g = model.Second[t] - PairFeatures.Count;
            var a = IndexOf(dependent, model.First[t]);
            if (g >= 0 && g < goals && a >= 0)
            {
                profiles[g][a] = model.Weights[t] * spread[a];
            }
        }

        return profiles;
    }

    /// <summary>The goals clustered into <paramref name="clusters"/> groups: groups of two or more first, then lone goals.</summary>
    private static List<string> Vocabulary(IReadOnlyList<string> goals, double[][] profiles, int clusters)
    {
        var cluster = KMeans(profiles, clusters);
        var groups = Enumerable.Range(0, clusters)
            .Select(c => Enumerable.Range(0, goals.Count).Where(g => cluster[g] == c).Select(g => goals[g]).ToArray())
            .Where(x => x.Length > 0).ToList();
        return [.. groups.Where(x => x.Length > 1).Select(x => string.Join(Separator, x)).Concat(groups.Where(x => x.Length == 1).Select(x => x[0]))];
    }

    /// <summary>K-means from a farthest-point start (the longest profile, then each time the one farthest from the chosen).</summary>
    internal static int[] KMeans(double[][] points, int k)
    {
        var centres = new List<double[]> { points.MaxBy(p => Distance(p, new double[p.Length]))! };
        while (centres.Count < k)
        {
            centres.Add(points.MaxBy(p => centres.Min(c => Distance(p, c)))!);
        }

        var cluster = Enumerable.Repeat(-1, points.Length).ToArray();
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var changed = false;
            for (var i = 0; i < points.Length; i++)
            {
                var nearest = Enumerable.Range(0, k).MinBy(c => Distance(points[i], centres[c]));
                changed |= nearest != cluster[i];
                cluster[i] = nearest;
            }

            if (!changed)
            {
                break;
            }

            for (var c = 0; c < k; c++)
            {
                var members = Enumerable.Range(0, points.Length).Where(i => cluster[i] == c).ToArray();
                if (members.Length > 0)
                {
                    centres[c] = [.. Enumerable.Range(0, points[0].Length).Select(d => members.Average(i => points[i][d]))];
                }
            }
        }

        return cluster;
    }

    private static double Distance(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Square(a[i] - b[i]);
        }

        return sum;
    }

    private static double Square(double x) => x * x;

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }

    private static double StandardDeviation(IReadOnlyList<float[]> inputs, int[] rows, int column)
    {
        var mean = rows.Average(r => (double)inputs[r][column]);
        return Math.Sqrt(rows.Average(r => Square(inputs[r][column] - mean)));
    }
}
