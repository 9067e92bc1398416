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

    /// <summary>Where Reweight and Report write when a request names no folder. Defaults to "aggregation-output" (relative to the working directory).</summary>
    public string OutputRoot { get; set; } = "aggregation-output";
}
