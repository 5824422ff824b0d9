using MentorFlow.Reporting.Roi;

namespace MentorFlow.Reporting.Tests.Roi;

public sealed class RoiModelTests
{
    // Worked example: 50 mentors, 200 mentees, 62% completion, a 9-month programme, default assumptions.
    //   participants 250 × 150                       =  37,500
    //   admin 9 months × 30 h × 45                   =  12,150
    //   mentor time 200 × 9 × 2 h × 60               = 216,000     → cost    265,650
    //   retention 200 × 0.62 × 0.15 × 0.25 × 30,000  = 139,500
    //   ramp-up 200 × 0.30 × 1 month × 4,000         = 240,000     → benefit 379,500
    //   ROI = (379,500 − 265,650) / 265,650 = 0.428571…; payback = 265,650 / (379,500 / 12) = 8.4 months
    private static readonly RoiProgramme Example = new(50, 200, 0.62, 9);

    [Fact]
    public void Evaluate_OnTheWorkedExample_GivesHandComputedCostsBenefitsRoiAndPayback()
    {
        var result = RoiModel.Evaluate(Example, new RoiAssumptions());

        Assert.Equal(37_500, result.ParticipantCosts, 6);
        Assert.Equal(12_150, result.AdminCosts, 6);
        Assert.Equal(216_000, result.MentorTimeCosts, 6);
        Assert.Equal(265_650, result.TotalCost, 6);
        Assert.Equal(139_500, result.RetentionBenefit, 6);
        Assert.Equal(240_000, result.ProductivityBenefit, 6);
        Assert.Equal(113_850, result.NetBenefit, 6);
        Assert.Equal(113_850.0 / 265_650.0, result.Roi, 12);
        Assert.Equal(8.4, result.PaybackMonths!.Value, 9);
    }

    [Fact]
    public void Evaluate_WithNoBenefit_HasNoPayback()
    {
        var assumptions = new RoiAssumptions().With(nameof(RoiAssumptions.RetentionUplift), 0).With(nameof(RoiAssumptions.NewcomerShare), 0);

        var result = RoiModel.Evaluate(Example, assumptions);

        Assert.Null(result.PaybackMonths);
        Assert.Equal(-1, result.Roi, 12);
    }

    [Fact]
    public void Evaluate_WithEmptyProgramme_HasZeroRoiNotNaN()
    {
        var assumptions = new RoiAssumptions().With(nameof(RoiAssumptions.AdminHoursPerMonth), 0);

        var result = RoiModel.Evaluate(new RoiProgramme(0, 0, 0, 0), assumptions);

        Assert.Equal(0, result.Roi);
        Assert.Equal(0, result.TotalCost);
    }

    [Fact]
    public void Evaluate_WhenAShareIsAboveOne_ThrowsNamingTheAssumption()
    {
        var assumptions = new RoiAssumptions().With(nameof(RoiAssumptions.BaselineAttrition), 1.5);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => RoiModel.Evaluate(Example, assumptions));

        Assert.Equal(nameof(RoiAssumptions.BaselineAttrition), error.ParamName);
    }

    [Fact]
    public void With_UnknownAssumption_ThrowsListingTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => new RoiAssumptions().With("Typo", 1));

        Assert.Contains("Typo", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(RoiAssumptions.ReplacementCost), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assumptions_EachHaveASourceAValueInsideTheirRangeAndAUniqueName()
    {
        var all = new RoiAssumptions().All;

        Assert.Equal(all.Count, all.Select(a => a.Name).Distinct().Count());
        Assert.All(all, a =>
        {
            Assert.False(string.IsNullOrWhiteSpace(a.Source));
            Assert.InRange(a.Value, a.Low, a.High);
        });
    }

    [Fact]
    public void Sensitivity_OrdersBarsBySwingAndRecomputesEachEnd()
    {
        var assumptions = new RoiAssumptions();

        var analysis = RoiModel.Sensitivity(Example, assumptions);

        Assert.Equal(RoiModel.Evaluate(Example, assumptions).Roi, analysis.BaseRoi, 12);
        Assert.Equal(assumptions.All.Count, analysis.Bars.Count);
        Assert.True(analysis.Bars.Zip(analysis.Bars.Skip(1)).All(p => p.First.Swing >= p.Second.Swing));

        // Mentor hours: 1 h → cost 157,650, ROI 1.40723…; 4 h → cost 481,650, ROI −0.21208… — the largest swing.
        var top = analysis.MostInfluential!;
        Assert.Equal(nameof(RoiAssumptions.MentorHoursPerMonth), top.Name);
        Assert.Equal((379_500.0 - 157_650.0) / 157_650.0, top.RoiAtLow, 12);
        Assert.Equal((379_500.0 - 481_650.0) / 481_650.0, top.RoiAtHigh, 12);

        // The benefit horizon only moves payback, never ROI.
        Assert.Equal(0, analysis.Bars.Single(b => b.Name == nameof(RoiAssumptions.BenefitHorizonMonths)).Swing, 12);
    }
}
