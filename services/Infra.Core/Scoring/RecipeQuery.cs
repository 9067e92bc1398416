using System.Text.Json.Serialization;

namespace Infra.Core.Scoring;

/// <summary>
/// One query of a <see cref="QueryRecipe"/>, as it was given to the GradientService: a system message,
/// prompt and correct answer (response), or, when <see cref="TokenIds"/> is set, already tokenised input
/// with its loss mask (then the text fields are ignored by the GradientService).
/// </summary>
public sealed record RecipeQuery
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("domain")] public string Domain { get; init; } = "";
    [JsonPropertyName("difficulty")] public int Difficulty { get; init; }
    [JsonPropertyName("system")] public string System { get; init; } = "";
    [JsonPropertyName("prompt")] public string Prompt { get; init; } = "";
    [JsonPropertyName("response")] public string Response { get; init; } = "";

    /// <summary>Pre-tokenised input, or null when the query is given as text. Defaults to null.</summary>
    [JsonPropertyName("token_ids")] public IReadOnlyList<int>? TokenIds { get; init; }

    /// <summary>1 for tokens that carry loss (the answer), as long as <see cref="TokenIds"/>; null exactly when it is.</summary>
    [JsonPropertyName("loss_mask")] public IReadOnlyList<int>? LossMask { get; init; }
}
