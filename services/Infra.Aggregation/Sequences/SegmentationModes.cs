using Infra.Corpus;

namespace Infra.Aggregation.Sequences;

/// <summary>The default <see cref="SegmentationMode"/> of a reasoning domain.</summary>
public static class SegmentationModes
{
    /// <summary>Math reads as prose, code as code.</summary>
    public static SegmentationMode For(ReasoningDomain domain) => domain switch
    {
        ReasoningDomain.Math => SegmentationMode.Prose,
        ReasoningDomain.Code => SegmentationMode.Code,
        _ => throw new ArgumentOutOfRangeException(nameof(domain), domain, "unknown reasoning domain"),
    };

    /// <summary>As <see cref="For(ReasoningDomain)"/> for the corpus' domain words: "code" (any case) is code, anything else prose.</summary>
    public static SegmentationMode For(string? domain) =>
        string.Equals(domain, "code", StringComparison.OrdinalIgnoreCase) ? SegmentationMode.Code : SegmentationMode.Prose;
}
