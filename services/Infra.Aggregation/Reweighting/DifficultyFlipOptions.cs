namespace Infra.Aggregation.Reweighting;

/// <summary>Knobs of <see cref="DifficultyFlip"/>.</summary>
public sealed class DifficultyFlipOptions
{
    /// <summary>How strongly standardized influence moves a cell's weight (the s in exp(s·z)). Defaults to 1.0; 0 gives uniform weights.</summary>
    public double Strength { get; init; } = 1.0;

    /// <summary>Lower clamp of the raw cell weight, applied before renormalisation. Defaults to 0.25.</summary>
    public double MinWeight { get; init; } = 0.25;

    /// <summary>Upper clamp of the raw cell weight, applied before renormalisation. Defaults to 4.0.</summary>
    public double MaxWeight { get; init; } = 4.0;

    /// <summary>
    /// True (the default): z standardizes a cell's mean influence among the difficulty cells of its
    /// own training domain, so the flip moves weight across difficulties and influence scales that
    /// differ between domains do not matter. False: among all cells.
    /// </summary>
    public bool StandardizeWithinDomain { get; init; } = true;

    /// <summary>
    /// True (the default): each training domain keeps its own token budget, so the domain mix is
    /// unchanged and only the difficulty mix flips. False: only the total budget is kept.
    /// </summary>
    public bool PreserveDomainBudget { get; init; } = true;

    /// <summary>The defaults.</summary>
    public static DifficultyFlipOptions Default { get; } = new();

    internal void Validate()
    {
        if (!double.IsFinite(Strength))
        {
            throw new ArgumentOutOfRangeException(nameof(Strength), Strength, "strength must be finite");
        }
        if (!(MinWeight > 0 && MaxWeight >= MinWeight && double.IsFinite(MaxWeight)))
        {
            throw new ArgumentOutOfRangeException(nameof(MinWeight), MinWeight, "need 0 < MinWeight <= MaxWeight < infinity");
        }
    }
}
