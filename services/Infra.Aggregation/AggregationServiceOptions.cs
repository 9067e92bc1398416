using System.ComponentModel.DataAnnotations;
using Infra.Client.Sharding;
using Infra.Core.Statistics;

namespace Infra.Aggregation;

/// <summary>Settings of the AggregationService (configuration section "Aggregation").</summary>
public sealed class AggregationServiceOptions
{
    /// <summary>The configuration section: "Aggregation".</summary>
    public const string Section = "Aggregation";

    /// <summary>
    /// Address of the ScoringService it pulls scores from, e.g. http://127.0.0.1:5002; or the shards of a sharded store:
    /// a comma-separated list of http(s):// addresses and dns:///NAME:PORT names (one shard per record), in shard order,
    /// e.g. http://scoring-0.scoring:8080,http://scoring-1.scoring:8080. Every call is then fanned out over the shards and
    /// the answers merged as one store's (README, "Sharded scoring"). Required.
    /// </summary>
    [Required]
    [AddressList(ScoringAddresses.Noun)]
    public string? ScoringAddress { get; set; }

    /// <summary>
    /// Address of the GradientService it asks for query gradients (the Influence call) and exact recomputation (stage 2,
    /// token scores); or several GradientService workers: a comma-separated list of http(s):// addresses and
    /// dns:///NAME:PORT names (one worker per record), e.g. dns:///gradients:8080 for a headless Service. Stage 2 is then
    /// spread over the workers (a worker found down is retired for the call and logged); query gradients and answers come
    /// from the first. Optional: without it, Influence accepts query-set ids only.
    /// </summary>
    [AddressList(GradientAddresses.Noun)]
    public string? GradientAddress { get; set; }

    /// <summary>
    /// Where Reweight and Report write: a request's <c>output_folder</c> is resolved under it and refused when it points
    /// outside; without one they write to a subfolder of it. Defaults to "aggregation-output" (relative to the working directory).
    /// </summary>
    public string OutputRoot { get; set; } = "aggregation-output";

    /// <summary>
    /// The folder Reweight may read corpora from: a request's <c>corpus_path</c> is resolved under it and refused when it
    /// points outside. Defaults to "corpora" (relative to the working directory).
    /// </summary>
    public string CorpusRoot { get; set; } = "corpora";
    /// <summary>Largest list length a request asks for: top_k, k, top, sequences, top_examples, top_sequences, top_tokens. Defaults to 10,000.</summary>
    [Range(1, int.MaxValue)]
    public int MaxTopK { get; set; } = 10_000;

    /// <summary>Largest candidates (stage 1 candidates per query and direction reranked exactly through the GradientService). Defaults to 4,096.</summary>
    [Range(1, int.MaxValue)]
    public int MaxCandidates { get; set; } = 4096;

    /// <summary>Largest bootstrap_samples of an Aggregate. Defaults to 100,000 (also the most allowed).</summary>
    [Range(1, BootstrapOptions.MaxResamples)]
    public int MaxBootstrapSamples { get; set; } = BootstrapOptions.MaxResamples;

    /// <summary>Most entries in one request's id or name list (example_ids, queries.query_ids, domains). Defaults to 10,000.</summary>
    [Range(1, int.MaxValue)]
    public int MaxIdsPerRequest { get; set; } = 10_000;

    /// <summary>Largest max_new_tokens of an Influence call that generates its answer. Defaults to 4,096.</summary>
    [Range(1, int.MaxValue)]
    public int MaxNewTokens { get; set; } = 4096;

    /// <summary>Largest heat_map_examples of a Report (each costs one ScoreTokens and a rendered map). Defaults to 100.</summary>
    [Range(1, int.MaxValue)]
    public int MaxHeatMapExamples { get; set; } = 100;
}
