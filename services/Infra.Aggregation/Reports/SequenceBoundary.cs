namespace Infra.Aggregation.Reports;

/// <summary>A sequence (step, sentence, tagged behaviour) within a shown example.</summary>
/// <param name="Start">First character, in UTF-16 units of the example's concatenated token texts.</param>
/// <param name="Length">Characters covered.</param>
/// <param name="Kind">What it is, e.g. "step", "verification", "exploration".</param>
/// <param name="Score">Its score: the sum of its tokens' scores.</param>
public sealed record SequenceBoundary(int Start, int Length, string Kind, double Score);
