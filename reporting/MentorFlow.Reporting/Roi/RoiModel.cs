using System.Globalization;

namespace MentorFlow.Reporting.Roi;

/// <summary>
/// One assumption of the ROI model: its value, the plausible range used by the sensitivity analysis, its unit and
/// where the figure comes from (or why it was chosen). Change the value, keep the source honest.
/// </summary>
public sealed record RoiParameter(string Name, string Label, double Value, double Low, double High, string Unit, string Source)
{
    public RoiParameter WithValue(double value) => this with { Value = value };

    public string Describe() => Unit switch
    {
        "currency" => Value.ToString("N0", CultureInfo.InvariantCulture),
        "share" => (Value * 100).ToString("0", CultureInfo.InvariantCulture) + "%",
        _ => Value.ToString("0.##", CultureInfo.InvariantCulture) + " " + (Value == 1 ? Unit.TrimEnd('s') : Unit),
    };
}

/// <summary>What the data says about the programme being valued (facts, not assumptions).</summary>
/// <param name="Mentors">Mentors who took part.</param>
/// <param name="Mentees">Mentees who took part.</param>
/// <param name="CompletionRate">Share of ended relationships that reached their planned end (0–1).</param>
/// <param name="ProgrammeMonths">Length of the programme being valued, in months.</param>
public sealed record RoiProgramme(int Mentors, int Mentees, double CompletionRate, double ProgrammeMonths)
{
    public int Participants => Mentors + Mentees;

    /// <summary>
    /// The programme as the data shows it at <paramref name="asOf"/>: distinct mentors and mentees of the relationships
    /// started by then, the completion rate of those that ended (0 when none has), and the programme length — given,
    /// or else the mean planned length of the relationships (0 when there are none).
    /// </summary>
    public static RoiProgramme From(IReadOnlyList<Data.Relationship> relationships, DateOnly asOf, double? programmeMonths = null)
    {
        var started = relationships.Where(r => r.Started <= asOf).ToList();
        var outcomes = Metrics.ProgrammeMetrics.Outcomes(started, DateOnly.MinValue, asOf);
        var months = programmeMonths
            ?? (started.Count > 0 ? started.Average(r => (r.PlannedEnd.DayNumber - r.Started.DayNumber) / (365.25 / 12)) : 0);
        return new RoiProgramme(
            started.Select(r => r.MentorId).Distinct(StringComparer.Ordinal).Count(),
            started.Select(r => r.MenteeId).Distinct(StringComparer.Ordinal).Count(),
            outcomes.CompletionRate ?? 0,
            Math.Round(months, 1));
    }
}

/// <summary>
/// Every assumption of the ROI model as a named parameter. Defaults are deliberately conservative round figures for a
/// community or in-company programme; each carries its rationale. Override them in the notebook's parameters cell.
/// </summary>
public sealed record RoiAssumptions
{
    public RoiParameter CostPerParticipant { get; init; } = new(
        nameof(CostPerParticipant), "Cost per participant", 150, 100, 250, "currency",
        "Platform seat, onboarding material and a share of kick-off/closing events per person per programme; replace with your invoice figures.");

    public RoiParameter AdminHoursPerMonth { get; init; } = new(
        nameof(AdminHoursPerMonth), "Admin hours per month", 30, 15, 60, "hours",
        "Programme manager time for polls, matching review and follow-ups; MentorFlow automates invites and reminders, so well under one FTE.");

    public RoiParameter CostPerAdminHour { get; init; } = new(
        nameof(CostPerAdminHour), "Cost per admin hour", 45, 35, 70, "currency",
        "Fully loaded hourly cost of a programme coordinator (salary plus overheads).");

    public RoiParameter MentorHoursPerMonth { get; init; } = new(
        nameof(MentorHoursPerMonth), "Mentor hours per month", 2, 1, 4, "hours",
        "Time a mentor gives per mentee per month: a monthly check-in plus preparation, as the partnership policy suggests.");

    public RoiParameter MentorHourCost { get; init; } = new(
        nameof(MentorHourCost), "Value of a mentor hour", 60, 40, 100, "currency",
        "Opportunity cost of a senior person's hour; counted so the ROI is not flattered by free mentor time.");

    public RoiParameter BaselineAttrition { get; init; } = new(
        nameof(BaselineAttrition), "Baseline yearly attrition", 0.15, 0.10, 0.25, "share",
        "Share of mentees who would leave within a year without the programme; use your HR turnover figure.");

    public RoiParameter RetentionUplift { get; init; } = new(
        nameof(RetentionUplift), "Attrition avoided by completing", 0.25, 0.10, 0.40, "share",
        "Relative reduction in that attrition for mentees who complete the programme; an assumption to check against your own retention data after the first cohort.");

    public RoiParameter ReplacementCost { get; init; } = new(
        nameof(ReplacementCost), "Cost to replace a leaver", 30000, 15000, 60000, "currency",
        "Recruiting, onboarding and lost output for one leaver; commonly estimated at half to twice a yearly salary — the low end is used.");

    public RoiParameter NewcomerShare { get; init; } = new(
        nameof(NewcomerShare), "Mentees new in role", 0.30, 0.15, 0.50, "share",
        "Share of mentees in their first year, for whom mentoring shortens the time to full productivity.");

    public RoiParameter ProductivityMonthsSaved { get; init; } = new(
        nameof(ProductivityMonthsSaved), "Months to productivity saved", 1.0, 0.5, 2.0, "months",
        "How much sooner a mentored newcomer reaches full productivity.");

    public RoiParameter MonthlyValueOfProductivity { get; init; } = new(
        nameof(MonthlyValueOfProductivity), "Value of a productive month", 4000, 2500, 6000, "currency",
        "Output value of one month at full productivity, net of salary already paid during ramp-up.");

    public RoiParameter BenefitHorizonMonths { get; init; } = new(
        nameof(BenefitHorizonMonths), "Months over which benefits arrive", 12, 9, 18, "months",
        "Benefits (avoided leavers, faster ramp-up) are spread evenly over this period after the programme starts; used for payback.");

    /// <summary>All assumptions, in a stable order.</summary>
    public IReadOnlyList<RoiParameter> All =>
    [
        CostPerParticipant, AdminHoursPerMonth, CostPerAdminHour, MentorHoursPerMonth, MentorHourCost, BaselineAttrition,
        RetentionUplift, ReplacementCost, NewcomerShare, ProductivityMonthsSaved, MonthlyValueOfProductivity, BenefitHorizonMonths,
    ];

    /// <summary>A copy with the named assumption set to <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">No assumption has that name.</exception>
    public RoiAssumptions With(string name, double value) => name switch
    {
        nameof(CostPerParticipant) => this with { CostPerParticipant = CostPerParticipant.WithValue(value) },
        nameof(AdminHoursPerMonth) => this with { AdminHoursPerMonth = AdminHoursPerMonth.WithValue(value) },
        nameof(CostPerAdminHour) => this with { CostPerAdminHour = CostPerAdminHour.WithValue(value) },
        nameof(MentorHoursPerMonth) => this with { MentorHoursPerMonth = MentorHoursPerMonth.WithValue(value) },
        nameof(MentorHourCost) => this with { MentorHourCost = MentorHourCost.WithValue(value) },
        nameof(BaselineAttrition) => this with { BaselineAttrition = BaselineAttrition.WithValue(value) },
        nameof(RetentionUplift) => this with { RetentionUplift = RetentionUplift.WithValue(value) },
        nameof(ReplacementCost) => this with { ReplacementCost = ReplacementCost.WithValue(value) },
        nameof(NewcomerShare) => this with { NewcomerShare = NewcomerShare.WithValue(value) },
        nameof(ProductivityMonthsSaved) => this with { ProductivityMonthsSaved = ProductivityMonthsSaved.WithValue(value) },
        nameof(MonthlyValueOfProductivity) => this with { MonthlyValueOfProductivity = MonthlyValueOfProductivity.WithValue(value) },
        nameof(BenefitHorizonMonths) => this with { BenefitHorizonMonths = BenefitHorizonMonths.WithValue(value) },
        _ => throw new ArgumentException($"unknown ROI assumption '{name}'; known: {string.Join(", ", new RoiAssumptions().All.Select(a => a.Name))}", nameof(name)),
    };

    /// <summary>Checks every value against its meaning (shares in 0–1, counts and money ≥ 0, horizon &gt; 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Names the first assumption out of range.</exception>
    public void Validate()
    {
        foreach (var parameter in All)
        {
            var ok = parameter.Unit == "share" ? parameter.Value is >= 0 and <= 1 : parameter.Value >= 0 && double.IsFinite(parameter.Value);
            if (!ok || (parameter.Name == nameof(BenefitHorizonMonths) && parameter.Value <= 0))
            {
                throw new ArgumentOutOfRangeException(parameter.Name, parameter.Value, $"ROI assumption '{parameter.Name}' is out of range");
            }
        }
    }
}

/// <summary>Costs, benefits, ROI and payback of a programme under a set of assumptions.</summary>
public sealed record RoiResult(
    double ParticipantCosts,
    double AdminCosts,
    double MentorTimeCosts,
    double RetentionBenefit,
    double ProductivityBenefit,
    double? PaybackMonths)
{
    public double TotalCost => ParticipantCosts + AdminCosts + MentorTimeCosts;

    public double TotalBenefit => RetentionBenefit + ProductivityBenefit;

    public double NetBenefit => TotalBenefit - TotalCost;

    /// <summary>(benefit − cost) / cost; 0.5 means every 1 spent returns 1.50. Zero when there is no cost.</summary>
    public double Roi => TotalCost > 0 ? NetBenefit / TotalCost : 0;
}

/// <summary>
/// The ROI model. Costs: participants × cost per participant; admin hours × months × hourly cost; mentor time
/// (mentees × months × mentor hours × value of a mentor hour). Benefits: leavers avoided (mentees × completion rate ×
/// baseline attrition × retention uplift × replacement cost) and faster ramp-up (mentees × newcomer share × months
/// saved × value of a productive month). Payback: cost ÷ (benefit ÷ benefit horizon), in months.
/// </summary>
public static class RoiModel
{
    public static RoiResult Evaluate(RoiProgramme programme, RoiAssumptions assumptions)
    {
        ArgumentNullException.ThrowIfNull(programme);
        ArgumentNullException.ThrowIfNull(assumptions);
        assumptions.Validate();
        if (programme.Mentors < 0 || programme.Mentees < 0 || programme.CompletionRate is < 0 or > 1 || programme.ProgrammeMonths < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(programme), programme, "participant counts and months must be ≥ 0 and the completion rate within 0–1");
        }

        var a = assumptions;
        var participantCosts = programme.Participants * a.CostPerParticipant.Value;
        var adminCosts = programme.ProgrammeMonths * a.AdminHoursPerMonth.Value * a.CostPerAdminHour.Value;
        var mentorCosts = programme.Mentees * programme.ProgrammeMonths * a.MentorHoursPerMonth.Value * a.MentorHourCost.Value;
        var retention = programme.Mentees * programme.CompletionRate * a.BaselineAttrition.Value * a.RetentionUplift.Value * a.ReplacementCost.Value;
        var productivity = programme.Mentees * a.NewcomerShare.Value * a.ProductivityMonthsSaved.Value * a.MonthlyValueOfProductivity.Value;
        var benefit = retention + productivity;
        var cost = participantCosts + adminCosts + mentorCosts;
        double? payback = benefit > 0 ? cost / (benefit / a.BenefitHorizonMonths.Value) : null;
        return new RoiResult(participantCosts, adminCosts, mentorCosts, retention, productivity, payback);
    }

    /// <summary>
    /// Tornado analysis: ROI with each assumption at its low and its high value (others at base), sorted by swing,
    /// so the first bar is the assumption that moves ROI most.
    /// </summary>
    public static SensitivityAnalysis Sensitivity(RoiProgramme programme, RoiAssumptions assumptions)
    {
        var baseRoi = Evaluate(programme, assumptions).Roi;
        var bars = assumptions.All
            .Select(p => new SensitivityBar(
                p.Name,
                p.Label,
                p.Low,
                p.High,
                Evaluate(programme, assumptions.With(p.Name, p.Low)).Roi,
                Evaluate(programme, assumptions.With(p.Name, p.High)).Roi))
            .OrderByDescending(b => b.Swing)
            .ThenBy(b => b.Name, StringComparer.Ordinal)
            .ToList();
        return new SensitivityAnalysis(baseRoi, bars);
    }
}
