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
}
