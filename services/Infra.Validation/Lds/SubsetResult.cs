using System.Text.Json.Serialization;

namespace Infra.Validation.Lds;

/// <summary>
/// One retrained model, saved as <c>subsets/&lt;name&gt;.json</c> the moment it is measured: which training
/// examples it saw (indices into the corpus), its data-order seed, and f of every query on it.
/// </summary>
public sealed record SubsetResult
{
    /// <summary>Index of the subset (noise repeats reuse the index of the subset they repeat).</summary>
    [JsonPropertyName("index")] public required int Index { get; init; }

    /// <summary>Data-order seed the model was trained with.</summary>
    [JsonPropertyName("data_seed")] public required int DataSeed { get; init; }

    /// <summary>Training example indices, ascending.</summary>
    [JsonPropertyName("members")] public required IReadOnlyList<int> Members { get; init; }

    /// <summary>f per query (mean answer log-likelihood).</summary>
    [JsonPropertyName("measurements")] public required IReadOnlyList<double> Measurements { get; init; }

    /// <summary>The last step's training loss.</summary>
    [JsonPropertyName("final_loss")] public double FinalLoss { get; init; }

    /// <summary>Seconds to train and measure.</summary>
    [JsonPropertyName("seconds")] public double Seconds { get; init; }
}
