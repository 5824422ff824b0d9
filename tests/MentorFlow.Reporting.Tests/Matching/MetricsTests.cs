using MentorFlow.Reporting.Matching;

namespace MentorFlow.Reporting.Tests.Matching;

public sealed class MetricsTests
{
    [Fact]
    public void Auc_CountsCorrectlyOrderedPairsWithTiesAsHalf()
    {
        Assert.Equal(1.0, BinaryMetrics.Auc([0.1, 0.4, 0.8, 0.9], [false, false, true, true]));
        Assert.Equal(0.0, BinaryMetrics.Auc([0.9, 0.8, 0.1], [false, false, true]));
        Assert.Equal(0.5, BinaryMetrics.Auc([0.5, 0.5], [false, true]));
        Assert.Equal(0.75, BinaryMetrics.Auc([0.1, 0.6, 0.4, 0.9], [false, false, true, true]));
        Assert.True(double.IsNaN(BinaryMetrics.Auc([0.1, 0.2], [true, true])));
    }

    [Fact]
    public void LogLoss_IsTheMeanNegativeLogLikelihood()
    {
        Assert.Equal(-(Math.Log(0.8) + Math.Log(0.6)) / 2, BinaryMetrics.LogLoss([0.8, 0.4], [true, false]), 10);
    }

    [Fact]
    public void Platt_MapsOverconfidentScoresToObservedFrequencies()
    {
        // Raw scores say 0.9 and 0.1, but the events happen 60% and 40% of the time.
        var raw = Enumerable.Repeat(0.9, 100).Concat(Enumerable.Repeat(0.1, 100)).ToList();
        var labels = Enumerable.Range(0, 100).Select(i => i < 60).Concat(Enumerable.Range(0, 100).Select(i => i < 40)).ToList();

        var platt = PlattCalibration.Fit(raw, labels);

        Assert.Equal(0.6, platt.Apply(0.9), 2);
        Assert.Equal(0.4, platt.Apply(0.1), 2);
    }
}
