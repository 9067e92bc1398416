namespace Infra.Client.Rerank;

/// <summary>A query set's ranking request for <see cref="TwoStageScorer.RankAsync"/>.</summary>
public sealed record TwoStageRequest
{
    /// <summary>The registered query set. Required.</summary>
    public required string QuerySet { get; init; }

    /// <summary>Queries of the set; empty (the default) = all.</summary>
    public IReadOnlyList<string> QueryIds { get; init; } = [];

    /// <summary>A projected preconditioner fitted on the store, applied at stage 1. Defaults to "" (none).</summary>
    public string Preconditioner { get; init; } = "";

    /// <summary>Stage 1 ranks by normalised scores (needs a preconditioner). Defaults to false. Normalised scores have no exact counterpart: stage 1 only.</summary>
    public bool Normalized { get; init; }

    /// <summary>Examples per list (top and bottom). Defaults to 10.</summary>
    public int K { get; init; } = 10;

    /// <summary>Stage 1 candidates per query and direction; null (the default) = <see cref="CandidateCount.Resolve"/>'s rule.</summary>
    public int? Candidates { get; init; }

    /// <summary>Rerank the candidates exactly (stage 2). Defaults to true: the faithful answer.</summary>
    public bool Exact { get; init; } = true;

    /// <summary>Also return the exact token scores of every example in the lists. Defaults to false.</summary>
    public bool IncludeTokenScores { get; init; }

    /// <summary>Training-domain filter; empty (the default) = all.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    /// <summary>Lowest difficulty kept (inclusive; 0 is a real bound); null (the default) = no bound.</summary>
    public int? MinDifficulty { get; init; }

    /// <summary>Highest difficulty kept (inclusive; 0 is a real bound); null (the default) = no bound.</summary>
    public int? MaxDifficulty { get; init; }

    /// <summary>Candidates per GradientService batch; 0 (the default) = the service's default.</summary>
    public int BatchSize { get; init; }
}
