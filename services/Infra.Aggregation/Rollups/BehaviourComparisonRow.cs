namespace Infra.Aggregation.Rollups;

/// <summary>
/// Sequences tagged <see cref="Tag"/> against untagged sequences (no tags at all), for the queries of
/// <see cref="QueryDomain"/>: counts, mean per-sequence score, mean per-token score (the mean over
/// sequences of score / tokens), and tagged − untagged differences of both means with their
/// percentile-bootstrap intervals (each group resampled independently). Means are NaN for an empty group.
/// </summary>
public sealed record BehaviourComparisonRow(
    string QueryDomain,
    string Tag,
    int TaggedN,
    double TaggedMeanScore,
    double TaggedMeanPerToken,
    int UntaggedN,
    double UntaggedMeanScore,
    double UntaggedMeanPerToken,
    double ScoreDifference,
    double ScoreDifferenceCiLow,
    double ScoreDifferenceCiHigh,
    double PerTokenDifference,
    double PerTokenDifferenceCiLow,
    double PerTokenDifferenceCiHigh);
