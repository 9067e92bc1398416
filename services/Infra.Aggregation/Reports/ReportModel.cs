namespace Infra.Aggregation.Reports;

/// <summary>
/// Everything an attribution report shows, filled by the caller from the roll-ups. The writer only
/// lays it out: it computes nothing but colours, bar lengths and each heat-map's scale.
/// </summary>
/// <remarks>
/// Scores are influence scores as the ScoringService reports them: positive means up-weighting the
/// training data raises the query's answer log-likelihood (helpful). A token's score is its share of
/// its example's score; a sequence's score is the sum of its tokens' scores, and an example's score is
/// the sum of all its tokens' scores. Every list defaults to empty; an empty list renders as a note,
/// never as an error. Domains and categories are plain strings ("math", "code", "connector", ...) so
/// that corpora with other domains render too.
/// </remarks>
public sealed record ReportModel
{
    /// <summary>Title and run description. Required.</summary>
    public required ReportRunInfo Run { get; init; }

    /// <summary>Per query domain, the statistics of training examples' scores by training domain and difficulty.</summary>
    public IReadOnlyList<DomainDifficultyStat> DomainDifficulty { get; init; } = [];

    /// <summary>Mean score by query domain x training domain x difficulty (the cross-domain matrix).</summary>
    public IReadOnlyList<CrossDomainCell> CrossDomain { get; init; } = [];

    /// <summary>Tagged behaviour (exploration, verification, backtracking) against untagged sequences, per query domain.</summary>
    public IReadOnlyList<BehaviourComparison> Behaviours { get; init; } = [];

    /// <summary>Token rankings, one entry per query domain.</summary>
    public IReadOnlyList<TokenRankingSection> TokenRankings { get; init; } = [];

    /// <summary>The most helpful training examples, best first, with their tokens.</summary>
    public IReadOnlyList<ReportExample> TopExamples { get; init; } = [];

    /// <summary>The most harmful training examples, most negative first, with their tokens.</summary>
    public IReadOnlyList<ReportExample> BottomExamples { get; init; } = [];

    /// <summary>The highest-scoring sequences, best first.</summary>
    public IReadOnlyList<ReportSequence> TopSequences { get; init; } = [];

    /// <summary>The reweighting of the training mix; null when none was computed.</summary>
    public ReweightingSection? Reweighting { get; init; }
}
