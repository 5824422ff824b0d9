namespace MentorFlow.Reporting.Roi;

/// <summary>ROI when one assumption is set to its low and its high value, all others at their base value.</summary>
public sealed record SensitivityBar(string Name, string Label, double Low, double High, double RoiAtLow, double RoiAtHigh)
{
    /// <summary>How far ROI moves across the assumption's range (absolute, in ROI units).</summary>
    public double Swing => Math.Abs(RoiAtHigh - RoiAtLow);
}

/// <summary>A tornado analysis: the base ROI and one bar per assumption, largest swing first.</summary>
public sealed record SensitivityAnalysis(double BaseRoi, IReadOnlyList<SensitivityBar> Bars)
{
    /// <summary>The assumption that moves ROI most.</summary>
    public SensitivityBar? MostInfluential => Bars.Count > 0 ? Bars[0] : null;
}
