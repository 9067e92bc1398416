using System.ComponentModel.DataAnnotations;

namespace Infra.Scoring;

/// <summary>
/// Settings of the ScoringService, bound from the "Scoring" section (appsettings.json,
/// <c>Scoring__StorePath</c>, or <c>--Scoring:StorePath=…</c>); validated at start-up.
/// </summary>
public sealed class ScoringServiceOptions
{
    public const string Section = "Scoring";

    /// <summary>The gradient store's folder; created by the first ingest. Required.</summary>
    [Required]
    public string StorePath { get; set; } = "";

    /// <summary>Examples per shard. Defaults to 1,024.</summary>
    [Range(1, 1 << 24)]
    public int ShardExamples { get; set; } = 1024;

    /// <summary>Verify every shard's checksum when the store opens. Defaults to true.</summary>
    public bool VerifyOnOpen { get; set; } = true;

    /// <summary>Scores per streamed chunk of a full dump. Defaults to 65,536.</summary>
    [Range(1, 1 << 20)]
    public int ScoresPerChunk { get; set; } = 1 << 16;

    /// <summary>
    /// Largest gRPC message received, in bytes. Defaults to 16,777,216 (16 MiB): Ingest carries the
    /// GradientService's messages (each under its ChunkBytes, 1 MiB by default, plus the example's tokens).
    /// </summary>
    [Range(1024, int.MaxValue)]
    public int MaxReceiveMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest gRPC message sent, in bytes. Defaults to 16,777,216 (16 MiB): score dumps stay under 4 MB per chunk, token scores of long examples can be larger.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxSendMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest top_k of a Score request (examples kept at each end per query). Defaults to 100,000.</summary>
    [Range(1, int.MaxValue)]
    public int MaxTopK { get; set; } = 100_000;

    /// <summary>
    /// Most entries in one request's id or name list (example_ids, ids, query_ids, domains). Defaults to 100,000
    /// (the CLI asks MissingExamples 10,000 ids at a time).
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxIdsPerRequest { get; set; } = 100_000;

    /// <summary>Most queries in one registered query set (QuerySetHeader.queries, or the chunks' distinct ids). Defaults to 4,096.</summary>
    [Range(1, int.MaxValue)]
    public int MaxQueriesPerSet { get; set; } = 4096;
}
