using System.Runtime.CompilerServices;

namespace MentorFlow.Reporting.Matching;

/// <summary>
/// The products of ridge terms summed per cross-validation fold, in one streaming pass over every row
/// (<see cref="TermGram.AddProducts"/>), so that the ridges of one training share them: the Gram matrix of the rows
/// outside fold f is the sum of the other folds' (and of all of them for the final fit), and a ridge on a subset of the
/// terms reads its rows and columns. Each term is shifted by its mean over every row before its products are summed;
/// a fit centres them on its own rows' means (Σ uₐu_b − SₐS_b ÷ m), the same sums as centring each term's column first,
/// to rounding. The terms' means, spreads and products with the target are still computed on the fit's rows
/// (<see cref="TermGram.Moments"/>): they are cheap and depend on the target.
/// </summary>
internal sealed class FoldGrams
{
    /// <summary>
    /// The terms of every ridge candidate: those of the interaction ridges (<see cref="ModelInputs.Terms"/>), which hold
    /// the goal ridge's (<see cref="ModelInputs.GoalTerms"/>), then the inputs only the main-effects ridge reads.
    /// </summary>
    public static readonly IReadOnlyList<(int First, int Second)> RidgeTerms =
        [.. ModelInputs.Terms(interactions: true), .. ModelInputs.MainEffectsOnly.Select(i => (i, -1))];

    /// <summary>The sums of one training's model inputs, built once for its ridge candidates.</summary>
    private static readonly ConditionalWeakTable<IReadOnlyList<float[]>, FoldGrams> Shared = new();

    private readonly Dictionary<(int First, int Second), int> _index;
    private readonly int[] _counts;
    private readonly double[][] _sums;
    private readonly double[][] _cross;
    private readonly int[][] _training;

    private FoldGrams(IReadOnlyList<float[]> inputs, IReadOnlyList<(int First, int Second)> terms, int[] fold, int k)
    {
        Inputs = inputs;
        Terms = terms;
        Fold = fold;
        K = k;
        var d = terms.Count;
        _index = terms.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        var shift = new double[d];
        for (var r = 0; r < inputs.Count; r++)
        {
            for (var t = 0; t < d; t++)
            {
                shift[t] += TermGram.Value(inputs[r], terms[t]);
            }
        }

        for (var t = 0; t < d && inputs.Count > 0; t++)
        {
            shift[t] /= inputs.Count;
        }

        _training = [.. Enumerable.Range(-1, k + 1).Select(f => Rows(f, inside: false))];
        _counts = new int[k];
        _sums = new double[k][];
        _cross = new double[k][];
        for (var f = 0; f < k; f++)
        {
            var rows = Rows(f, inside: true);
            _counts[f] = rows.Length;
            _sums[f] = new double[d];
            _cross[f] = new double[d * d];
            TermGram.AddProducts(inputs, rows, terms, shift, _cross[f], _sums[f]);
        }
    }

    public IReadOnlyList<float[]> Inputs { get; }

    public IReadOnlyList<(int First, int Second)> Terms { get; }

    public int[] Fold { get; }

    public int K { get; }

    /// <summary>The sums of <paramref name="terms"/> per fold of <paramref name="fold"/> (<paramref name="k"/> folds).</summary>
    public static FoldGrams Build(IReadOnlyList<float[]> inputs, IReadOnlyList<(int First, int Second)> terms, int[] fold, int k) =>
        new(inputs, terms, fold, k);

    /// <summary>
    /// The sums of <see cref="RidgeTerms"/> for these inputs and folds, built on first use and shared by the ridge
    /// candidates of one training (kept while the inputs are).
    /// </summary>
    public static FoldGrams Of(IReadOnlyList<float[]> inputs, int[] fold, int k)
    {
        if (Shared.TryGetValue(inputs, out var grams) && ReferenceEquals(grams.Fold, fold) && grams.K == k)
        {
            return grams;
        }

        // Built outside any lock, so that trainings running side by side never wait for each other's pass.
        grams = new FoldGrams(inputs, RidgeTerms, fold, k);
        Shared.AddOrUpdate(inputs, grams);
        return grams;
    }

    /// <summary>The rows a fit without fold <paramref name="heldOut"/> trains on, in order (every row for −1); shared, not to be written.</summary>
    public int[] TrainingRows(int heldOut) => _training[heldOut + 1];

    /// <summary>
    /// The Gram matrix of the standardised <paramref name="terms"/> (a subset of <see cref="Terms"/>, any order) on the
    /// rows outside fold <paramref name="heldOut"/> (−1: every row): Σ zₐ·z_b with z = (x − mean)·<paramref name="scale"/>,
    /// upper triangle filled.
    /// </summary>
    public double[] Standardised(int heldOut, IReadOnlyList<(int First, int Second)> terms, double[] scale)
    {
        var gram = new double[terms.Count * terms.Count];
        Standardised(heldOut, terms, scale, gram);
        return gram;
    }

    /// <summary>
    /// <see cref="Standardised(int, IReadOnlyList{ValueTuple{int, int}}, double[])"/> written to <paramref name="gram"/>
    /// (d × d row-major, or longer): the upper triangle is overwritten, the rest left as it was.
    /// </summary>
    public void Standardised(int heldOut, IReadOnlyList<(int First, int Second)> terms, double[] scale, Span<double> gram)
    {
        var d = terms.Count;
        var full = Terms.Count;
        var at = terms.Select(t => _index.TryGetValue(t, out var i) ? i : throw new ArgumentException($"term {t} is not summed here", nameof(terms))).ToArray();
        var folds = Enumerable.Range(0, K).Where(f => f != heldOut).ToArray();
        var m = folds.Sum(f => _counts[f]);
        var sums = new double[d];
        for (var a = 0; a < d; a++)
        {
            foreach (var f in folds)
            {
                sums[a] += _sums[f][at[a]];
            }
        }

        for (var a = 0; a < d; a++)
        {
            for (var b = a; b < d; b++)
            {
                var cell = (Math.Min(at[a], at[b]) * full) + Math.Max(at[a], at[b]);
                var sum = 0.0;
                foreach (var f in folds)
                {
                    sum += _cross[f][cell];
                }

                gram[(a * d) + b] = m == 0 ? 0 : (sum - (sums[a] * sums[b] / m)) * scale[a] * scale[b];
            }
        }
    }

    private int[] Rows(int f, bool inside)
    {
        var rows = new List<int>();
        for (var i = 0; i < Fold.Length; i++)
        {
            if ((Fold[i] == f) == inside)
            {
                rows.Add(i);
            }
        }

        return [.. rows];
    }
}
