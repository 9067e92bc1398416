namespace Infra.Aggregation.Reweighting;

/// <summary>Knobs of <see cref="PaperRule"/>; strength and clamps mean what they mean for <see cref="DifficultyFlipOptions"/>.</summary>
public sealed class PaperRuleOptions
{
    /// <summary>Domains whose hard examples are up-weighted (weights rise with difficulty). Defaults to ["math"].</summary>
    public IReadOnlyList<string> HarderDomains { get; init; } = ["math"];

    /// <summary>Domains whose easy examples are up-weighted (weights fall with difficulty). Defaults to ["code"].</summary>
    public IReadOnlyList<string> EasierDomains { get; init; } = ["code"];

    /// <summary>How strongly the standardised level moves a weight (the s in exp(±s·z)). Defaults to 1.0; 0 gives uniform weights.</summary>
    public double Strength { get; init; } = 1.0;

    /// <summary>Lower clamp of the raw weight, before the domain's rescale. Defaults to 0.25.</summary>
    public double MinWeight { get; init; } = 0.25;

    /// <summary>Upper clamp of the raw weight, before the domain's rescale. Defaults to 4.0.</summary>
    public double MaxWeight { get; init; } = 4.0;

    /// <summary>The defaults.</summary>
    public static PaperRuleOptions Default { get; } = new();

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(HarderDomains);
        ArgumentNullException.ThrowIfNull(EasierDomains);
        if (HarderDomains.Intersect(EasierDomains, StringComparer.Ordinal).FirstOrDefault() is { } both)
        {
            throw Infra.Core.Errors.DomainException.InvalidArgument($"domain '{both}' is named both harder and easier", "harder_domains");
        }
        new DifficultyFlipOptions { Strength = Strength, MinWeight = MinWeight, MaxWeight = MaxWeight }.Validate();
    }
}
