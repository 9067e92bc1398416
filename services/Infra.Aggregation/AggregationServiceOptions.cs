using System.ComponentModel.DataAnnotations;

namespace Infra.Aggregation;

/// <summary>Settings of the AggregationService (configuration section "Aggregation").</summary>
public sealed class AggregationServiceOptions
{
    /// <summary>The configuration section: "Aggregation".</summary>
    public const string Section = "Aggregation";

    /// <summary>Address of the ScoringService it pulls scores from, e.g. http://127.0.0.1:5002. Required.</summary>
    [Required]
    public Uri? ScoringAddress { get; set; }

    /// <summary>Address of the GradientService it asks for query gradients (the Influence call). Optional: without it, Influence accepts query-set ids only.</summary>
    public Uri? GradientAddress { get; set; }

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
}
