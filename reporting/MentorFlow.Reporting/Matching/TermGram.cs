using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MentorFlow.Reporting.Matching;

/// <summary>
/// The sums a ridge on terms of the model inputs (<see cref="RidgeModel"/>) is solved from, computed by streaming the
/// rows: a term's value on a row (xᵢ·xⱼ, or xᵢ) is computed when it is used, a block of <see cref="ChunkRows"/> rows
/// at a time, so that no rows × terms matrix is ever held (on 70,000 past pairs and ~560 terms that matrix was 300 MB
/// per fit). Each term is shifted by a reference value before its products are summed (its mean on the fit's rows, or
/// on every row for <see cref="FoldGrams"/>), so that the centred sums stay exact to rounding.
/// </summary>
internal static class TermGram
{
    /// <summary>Rows per block: a block of ~600 terms stays in the core's cache while its products are summed.</summary>
    public const int ChunkRows = 128;

    /// <summary>Value of term t on input x (the product of its two inputs, or its one input).</summary>
    public static double Value(float[] x, (int First, int Second) term) => x[term.First] * (term.Second < 0 ? 1.0 : x[term.Second]);

    /// <summary>
    /// Standardisation of the terms on the given rows — mean and 1/sd of each term (0 for a term constant on them) — and
    /// the products of the standardised terms with the centred target (Σ zₜ·(y − ȳ)); two passes over the rows, as exact
    /// as centring each term's column first.
    /// </summary>
    public static (double[] Mean, double[] Scale, double[] Xty, double YMean) Moments(
        IReadOnlyList<float[]> inputs, IReadOnlyList<double> targets, IReadOnlyList<int> rows, IReadOnlyList<(int First, int Second)> terms)
    {
        var d = terms.Count;
        var m = rows.Count;
        var (first, second) = Split(terms);
        var mean = new double[d];
        var yMean = 0.0;
        for (var r = 0; r < m; r++)
        {
            var x = inputs[rows[r]];
            yMean += targets[rows[r]];
            for (var t = 0; t < d; t++)
            {
                mean[t] += x[first[t]] * (second[t] < 0 ? 1.0 : x[second[t]]);
            }
        }

        for (var t = 0; t < d && m > 0; t++)
        {
            mean[t] /= m;
        }

        yMean = m == 0 ? 0 : yMean / m;
        var squares = new double[d];
        var xty = new double[d];
        for (var r = 0; r < m; r++)
        {
            var x = inputs[rows[r]];
            var y = targets[rows[r]] - yMean;
            for (var t = 0; t < d; t++)
            {
                var v = (x[first[t]] * (second[t] < 0 ? 1.0 : x[second[t]])) - mean[t];
                squares[t] += v * v;
                xty[t] += v * y;
            }
        }

        var scale = new double[d];
        for (var t = 0; t < d; t++)
        {
            var sd = m == 0 ? 0 : Math.Sqrt(squares[t] / m);
            scale[t] = sd < 1e-9 ? 0 : 1 / sd;
            xty[t] *= scale[t];
        }

        return (mean, scale, xty, yMean);
    }

    /// <summary>
    /// Σ over <paramref name="rows"/> of (xₐ − shiftₐ)·(x_b − shift_b) for every pair of terms a ≤ b, added to
    /// <paramref name="cross"/> (d × d, row-major; entries below the diagonal are scratch), and Σ (xₐ − shiftₐ) added to
    /// <paramref name="sums"/>.
    /// </summary>
    public static void AddProducts(
        IReadOnlyList<float[]> inputs, IReadOnlyList<int> rows, IReadOnlyList<(int First, int Second)> terms, double[] shift, double[] cross, double[] sums)
    {
        var d = terms.Count;
        var (first, second) = Split(terms);
        // Pooled: ~600 terms make a block of ~600 KB, and a training sums hundreds of them.
        var block = ArrayPool<double>.Shared.Rent(d * ChunkRows);
        try
        {
            AddBlocks(inputs, rows, first, second, shift, cross, sums, block);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(block);
        }
    }

    private static void AddBlocks(
        IReadOnlyList<float[]> inputs, IReadOnlyList<int> rows, int[] first, int[] second, double[] shift, double[] cross, double[] sums, double[] block)
    {
        var d = first.Length;
        var chunk = new float[ChunkRows][];
        for (var start = 0; start < rows.Count; start += ChunkRows)
        {
            var count = Math.Min(ChunkRows, rows.Count - start);
            for (var r = 0; r < count; r++)
            {
                chunk[r] = inputs[rows[start + r]];
            }

            for (var t = 0; t < d; t++)
            {
                var column = block.AsSpan(t * ChunkRows, ChunkRows);
                int i = first[t], j = second[t];
                var sum = 0.0;
                for (var r = 0; r < count; r++)
                {
                    var x = chunk[r];
                    column[r] = (x[i] * (j < 0 ? 1.0 : x[j])) - shift[t];
                    sum += column[r];
                }

                // Rows past the end count 0 in every product.
                column[count..].Clear();
                sums[t] += sum;
            }

            AddBlock(block, d, cross);
        }
    }

    private static (int[] First, int[] Second) Split(IReadOnlyList<(int First, int Second)> terms) =>
        ([.. terms.Select(t => t.First)], [.. terms.Select(t => t.Second)]);

    /// <summary>
    /// Adds the block's BᵀB (B: <see cref="ChunkRows"/> rows × d term columns, stored column by column) to
    /// <paramref name="cross"/> for a ≤ b: two columns against four at a time, so that each value loaded serves several
    /// products.
    /// </summary>
    private static void AddBlock(double[] block, int d, double[] cross)
    {
        var width = Vector<double>.Count;
        ref var origin = ref MemoryMarshal.GetArrayDataReference(block);
        for (var a = 0; a < d; a += 2)
        {
            // With an odd count the last row pair repeats column a; its second row is not stored.
            var a1 = Math.Min(a + 1, d - 1);
            var offsetA0 = (nuint)(a * ChunkRows);
            var offsetA1 = (nuint)(a1 * ChunkRows);
            for (var b = a; b < d; b += 4)
            {
                // Past the last column the block repeats it; those products are not stored.
                var offsetB0 = (nuint)(b * ChunkRows);
                var offsetB1 = (nuint)(Math.Min(b + 1, d - 1) * ChunkRows);
                var offsetB2 = (nuint)(Math.Min(b + 2, d - 1) * ChunkRows);
                var offsetB3 = (nuint)(Math.Min(b + 3, d - 1) * ChunkRows);
                Vector<double> s00 = default, s01 = default, s02 = default, s03 = default;
                Vector<double> s10 = default, s11 = default, s12 = default, s13 = default;
                for (nuint r = 0; r < ChunkRows; r += (nuint)width)
                {
                    var x0 = Vector.LoadUnsafe(ref origin, offsetA0 + r);
                    var x1 = Vector.LoadUnsafe(ref origin, offsetA1 + r);
                    var y0 = Vector.LoadUnsafe(ref origin, offsetB0 + r);
                    var y1 = Vector.LoadUnsafe(ref origin, offsetB1 + r);
                    var y2 = Vector.LoadUnsafe(ref origin, offsetB2 + r);
                    var y3 = Vector.LoadUnsafe(ref origin, offsetB3 + r);
                    s00 = Vector.FusedMultiplyAdd(x0, y0, s00);
                    s01 = Vector.FusedMultiplyAdd(x0, y1, s01);
                    s02 = Vector.FusedMultiplyAdd(x0, y2, s02);
                    s03 = Vector.FusedMultiplyAdd(x0, y3, s03);
                    s10 = Vector.FusedMultiplyAdd(x1, y0, s10);
                    s11 = Vector.FusedMultiplyAdd(x1, y1, s11);
                    s12 = Vector.FusedMultiplyAdd(x1, y2, s12);
                    s13 = Vector.FusedMultiplyAdd(x1, y3, s13);
                }

                var columns = Math.Min(4, d - b);
                Store(cross, (a * d) + b, columns, s00, s01, s02, s03);
                if (a1 != a)
                {
                    Store(cross, (a1 * d) + b, columns, s10, s11, s12, s13);
                }
            }
        }
    }

    private static void Store(double[] cross, int at, int columns, Vector<double> s0, Vector<double> s1, Vector<double> s2, Vector<double> s3)
    {
        cross[at] += Vector.Sum(s0);
        if (columns > 1)
        {
            cross[at + 1] += Vector.Sum(s1);
        }

        if (columns > 2)
        {
            cross[at + 2] += Vector.Sum(s2);
        }

        if (columns > 3)
        {
            cross[at + 3] += Vector.Sum(s3);
        }
    }
}
