namespace MentorFlow.Reporting.Matching;

/// <summary>The candidate models, simplest first.</summary>
public enum TrainerKind
{
    /// <summary>
    /// The documented cold-start similarity (<see cref="ColdStart"/>), only calibrated: listed last, it replaces the
    /// learned candidates only when it picks clearly better held-out pairs than all of them.
    /// </summary>
    Similarity,

    /// <summary>Ridge regression of satisfaction on the model inputs (main effects only).</summary>
    RidgeLinear,

    /// <summary>Ridge regression of satisfaction on the inputs and every pairwise product of them (interactions, squares).</summary>
    RidgeInteractions,

    /// <summary>As <see cref="RidgeInteractions"/>, on the composite outcome target instead of satisfaction.</summary>
    RidgeInteractionsComposite,

    /// <summary>L-BFGS logistic regression (classification of success, soft composite labels), L1 + L2, min-max normalised.</summary>
    LinearLogistic,

    /// <summary>FastTree boosted regression trees on the composite target (shallow, shrunk, large leaves).</summary>
    BoostedTrees,

    /// <summary>LightGBM boosted regression trees on the composite target (shallow, shrunk, L2, large leaves).</summary>
    LightGbm,

    /// <summary>The mean of the standardised scores of <see cref="RidgeInteractions"/> and <see cref="LightGbm"/>.</summary>
    Blend,

    /// <summary>
    /// The lasso fitted on the compatible pairs only, gated by a hard incompatibility (no common language, or both
    /// meet only live and are 6+ hours apart): such a pair scores a + b·f, b in [0, 1], fitted on the incompatible
    /// past pairs (<see cref="GatedLasso"/>) — on the outcome scale an incompatibility scales down what the
    /// other facts are worth instead of subtracting a constant from every pair.
    /// </summary>
    LassoGated,

    /// <summary>
    /// The non-negative least-squares stack of the five linear candidates (<see cref="Stacking.Members"/>),
    /// folded into one linear model: listed first, the reference every single candidate must clearly beat.
    /// </summary>
    Stack,

    /// <summary>
    /// Lasso (L1-regularised) regression of satisfaction on the model inputs (main effects only, <see cref="LassoFit"/>):
    /// the sparsest candidate, listed right after the stack.
    /// </summary>
    LassoLinear,

    /// <summary>
    /// Ridge regression of satisfaction on the inputs and every goal-dependent feature × the indicator of each learned
    /// goal group (× every goal indicator when no group was learned), without the products of two pair features
    /// (<see cref="ModelInputs.GroupTerms"/>): where what helps depends on the kind of goal, the 67 inputs and 14
    /// terms per group instead of 557. A member of <see cref="Stack"/>, not a candidate on its own (chosen alone it only added selection noise).
    /// </summary>
    RidgeGoals,
}
