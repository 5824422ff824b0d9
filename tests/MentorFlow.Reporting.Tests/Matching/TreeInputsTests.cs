using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Matching;
using Microsoft.ML;

namespace MentorFlow.Reporting.Tests.Matching;

public sealed class TreeInputsTests
{
    [Theory]
    [InlineData(TrainerKind.LightGbm)]
    [InlineData(TrainerKind.BoostedTrees)]
    public void Trees_SplitOnTheGapItself_NeverOnItsFineSteps(TrainerKind kind)
    {
        // Success comes with a gap of 7+ years, which the step seniority_gap_at_least_7 marks exactly.
        var random = new Random(3);
        var step7 = PairFeatures.SeniorityGapStepsStart + PairFeatures.SeniorityGapStepYears.ToList().IndexOf(7);
        var inputs = new List<float[]>();
        var outcomes = new List<Outcome>();
        for (var i = 0; i < 400; i++)
        {
            var gap = random.Next(0, 16);
            var x = new float[ModelInputs.Count];
            x[PairFeatures.SeniorityGap] = gap / 10f;
            x[PairFeatures.InterestCoverage] = (float)random.NextDouble();
            for (var s = 0; s < PairFeatures.SeniorityGapStepYears.Count; s++)
            {
                x[PairFeatures.SeniorityGapStepsStart + s] = gap >= PairFeatures.SeniorityGapStepYears[s] ? 1 : 0;
            }

            var good = gap >= 7;
            inputs.Add(x);
            outcomes.Add(new Outcome($"m{i}", $"e{i}", good, good ? 4.5 : 2, good));
        }

        var model = MatchTrainer.FitMlNet(new MLContext(seed: 1), kind, inputs, outcomes, [.. Enumerable.Range(0, inputs.Count)], seed: 1);

        // The same pairs with every fine step turned over score exactly the same; the gap itself decides.
        var flipped = inputs.Select(x =>
        {
            var copy = (float[])x.Clone();
            foreach (var f in ModelInputs.MainEffectsOnly)
            {
                copy[f] = 1 - copy[f];
            }

            return copy;
        }).ToList();
        Assert.Equal(model.Raw(inputs), model.Raw(flipped));
        var scores = model.Raw(inputs);
        Assert.True(scores.Where((_, i) => inputs[i][step7] == 1).Min() > scores.Where((_, i) => inputs[i][step7] == 0).Max());
    }
}
