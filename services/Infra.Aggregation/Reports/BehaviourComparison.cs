namespace Infra.Aggregation.Reports;

/// <summary>
/// Sequences tagged with one behaviour against untagged sequences, for one query domain.
/// </summary>
/// <param name="QueryDomain">The queries' domain.</param>
/// <param name="Behaviour">The tag, e.g. "exploration", "verification", "backtracking".</param>
/// <param name="TaggedN">Tagged sequences.</param>
/// <param name="TaggedMeanPerSequence">Mean score of a tagged sequence (a sequence's score is the sum of its tokens').</param>
/// <param name="TaggedMeanPerToken">Mean score per token of tagged sequences (length-normalised).</param>
/// <param name="UntaggedN">Untagged sequences.</param>
/// <param name="UntaggedMeanPerSequence">Mean score of an untagged sequence.</param>
/// <param name="UntaggedMeanPerToken">Mean score per token of untagged sequences.</param>
/// <param name="Difference">Tagged minus untagged mean per token (the length-fair comparison).</param>
/// <param name="DifferenceCiLow">Lower end of the 95% confidence interval of <paramref name="Difference"/>.</param>
/// <param name="DifferenceCiHigh">Upper end of the 95% confidence interval of <paramref name="Difference"/>.</param>
public sealed record BehaviourComparison(
    string QueryDomain,
    string Behaviour,
    int TaggedN,
    double TaggedMeanPerSequence,
    double TaggedMeanPerToken,
    int UntaggedN,
    double UntaggedMeanPerSequence,
    double UntaggedMeanPerToken,
    double Difference,
    double DifferenceCiLow,
    double DifferenceCiHigh);
