using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace MentorFlow.Reporting.Matching;

/// <summary>A fitted candidate: raw scores on a real scale (regression output, or the logit of a probability).</summary>
internal abstract class Predictor
{
    public abstract double[] Raw(IReadOnlyList<float[]> inputs);

    /// <summary>Per-input contributions of each row relative to the baseline row.</summary>
    public abstract double[][] Contributions(IReadOnlyList<float[]> inputs, float[] baseline);
}

/// <summary>The cold-start similarity as a candidate (no parameters).</summary>
internal sealed class SimilarityPredictor : Predictor
{
    public override double[] Raw(IReadOnlyList<float[]> inputs) => [.. inputs.Select(x => ColdStart.Similarity(x))];

    public override double[][] Contributions(IReadOnlyList<float[]> inputs, float[] baseline) =>
        [.. inputs.Select(x => ColdStart.Terms(x).Zip(ColdStart.Terms(baseline), (a, b) => a - b).ToArray())];
}

internal sealed class RidgePredictor(RidgeModel model) : Predictor
{
    public RidgeModel Model { get; } = model;

    public override double[] Raw(IReadOnlyList<float[]> inputs)
    {
        var result = new double[inputs.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Model.Predict(inputs[i]);
        }

        return result;
    }

    public override double[][] Contributions(IReadOnlyList<float[]> inputs, float[] baseline) =>
        [.. inputs.Select(x => Model.Contributions(x, baseline))];
}

internal sealed class MlNetPredictor(MLContext ml, ITransformer model, bool probability) : Predictor
{
    private ITransformer? _contributions;
    private bool _contributionsTried;

    public ITransformer Model { get; } = model;

    public override double[] Raw(IReadOnlyList<float[]> inputs)
    {
        var scored = Model.Transform(MatchTrainer.Load(ml, inputs));
        return probability
            ? [.. scored.GetColumn<float>("Probability").Select(p => BinaryMetrics.Logit(p))]
            : [.. scored.GetColumn<float>("Score").Select(s => (double)s)];
    }

    public override double[][] Contributions(IReadOnlyList<float[]> inputs, float[] baseline)
    {
        lock (this)
        {
            if (!_contributionsTried)
            {
                _contributionsTried = true;
                _contributions = MatchTrainer.ContributionCalculator(ml, Model, MatchTrainer.Load(ml, [baseline]));
            }
        }

        if (_contributions is null)
        {
            return [.. inputs.Select(_ => new double[ModelInputs.Count])];
        }

        var rows = Calculate([baseline, .. inputs]);
        var reference = rows[0];
        return [.. rows.Skip(1).Select(r => r.Select((v, i) => v - reference[i]).ToArray())];
    }

    private double[][] Calculate(IReadOnlyList<float[]> inputs)
    {
        var scored = _contributions!.Transform(Model.Transform(MatchTrainer.Load(ml, inputs)));
        return [.. scored.GetColumn<float[]>("FeatureContributions").Select(c => c.Select(x => (double)x).ToArray())];
    }
}

/// <summary>The mean of two predictors' raw scores, each standardised by its held-out mean and standard deviation.</summary>
internal sealed class BlendPredictor(Predictor first, Predictor second, BlendScaling scaling) : Predictor
{
    public Predictor First { get; } = first;

    public Predictor Second { get; } = second;

    public BlendScaling Scaling { get; } = scaling;

    public override double[] Raw(IReadOnlyList<float[]> inputs)
    {
        var a = First.Raw(inputs);
        var b = Second.Raw(inputs);
        return [.. a.Select((v, i) => Scaling.Combine(v, b[i]))];
    }

    public override double[][] Contributions(IReadOnlyList<float[]> inputs, float[] baseline)
    {
        var a = First.Contributions(inputs, baseline);
        var b = Second.Contributions(inputs, baseline);
        return [.. a.Select((row, i) => row.Select((v, j) => 0.5 * ((v / Scaling.FirstSd) + (b[i][j] / Scaling.SecondSd))).ToArray())];
    }
}

/// <summary>Standardisation of the two scores of a blend (from their held-out scores).</summary>
public sealed record BlendScaling(double FirstMean, double FirstSd, double SecondMean, double SecondSd)
{
    public double Combine(double first, double second) => 0.5 * (((first - FirstMean) / FirstSd) + ((second - SecondMean) / SecondSd));

    public static BlendScaling Of(double[] first, double[] second)
    {
        var (m1, s1) = Moments(first);
        var (m2, s2) = Moments(second);
        return new BlendScaling(m1, s1 < 1e-12 ? 1 : s1, m2, s2 < 1e-12 ? 1 : s2);
    }

    /// <summary>Mean and (population) standard deviation of held-out scores.</summary>
    internal static (double Mean, double Sd) Moments(double[] x)
    {
        var mean = x.Length == 0 ? 0 : x.Average();
        return (mean, Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, x.Length)));
    }
}
