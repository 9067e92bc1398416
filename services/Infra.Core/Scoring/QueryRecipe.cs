using System.Text.Json.Serialization;
using Infra.Core.Text;
using Infra.Core.Errors;

namespace Infra.Core.Scoring;

/// <summary>
/// How a query set's scores are recomputed exactly (stage 2) by the GradientService: the queries
/// themselves and the arguments their gradients were computed with. Kept with the set so any reader can
/// rerank its candidates exactly; a set without one has only approximate (stage 1) scores.
/// </summary>
public sealed record QueryRecipe
{
    /// <summary>The queries; their ids are exactly the set's query ids.</summary>
    [JsonPropertyName("queries")] public required IReadOnlyList<RecipeQuery> Queries { get; init; }

    /// <summary>Full-space EK-FAC factors on the GradientService that preconditioned the queries; "" = none. Defaults to "".</summary>
    [JsonPropertyName("factors_name")] public string FactorsName { get; init; } = "";

    /// <summary>Damping as given to ComputeQueryGradients; &lt;= 0 means its default (0.1 x mean eigenvalue per layer). Defaults to 0.</summary>
    [JsonPropertyName("damping")] public double Damping { get; init; }

    /// <summary>How f reduces the answer's log-likelihoods. Defaults to <see cref="QueryReduction.Mean"/>.</summary>
    [JsonPropertyName("reduction")] public QueryReduction Reduction { get; init; } = QueryReduction.Mean;

    /// <summary>How text queries were rendered. Defaults to <see cref="Text.ChatFormat.Qwen25"/>.</summary>
    [JsonPropertyName("chat_format")] public ChatFormat ChatFormat { get; init; } = ChatFormat.Qwen25;

    /// <summary>Whether over-long queries were cut instead of refused. Defaults to false.</summary>
    [JsonPropertyName("truncate")] public bool Truncate { get; init; }

    /// <summary>
    /// Throws unless the recipe's query ids are exactly <paramref name="setIds"/> (each once) and every
    /// pre-tokenised query has a loss mask of its length; the message names the offending id.
    /// </summary>
    /// <exception cref="ArgumentException">An id missing on either side, a duplicate, or a bad loss mask.</exception>
    public void Validate(string setName, IReadOnlyCollection<string> setIds)
    {
        ArgumentNullException.ThrowIfNull(setIds);
        var expected = setIds.ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var q in Queries)
        {
            if (!seen.Add(q.Id)) throw DomainException.InvalidArgument($"query set '{setName}': the recipe lists query '{q.Id}' twice");
            if (!expected.Contains(q.Id)) throw DomainException.InvalidArgument($"query set '{setName}': the recipe's query '{q.Id}' is not one of the set's queries");
            if ((q.TokenIds is null) != (q.LossMask is null) || (q.TokenIds is { } ids && ids.Count != q.LossMask!.Count))
                throw DomainException.InvalidArgument($"query set '{setName}': the recipe's query '{q.Id}' has {q.TokenIds?.Count ?? 0} token ids and a loss mask of {q.LossMask?.Count ?? 0}");
        }
        var missing = setIds.FirstOrDefault(id => !seen.Contains(id));
        if (missing is not null) throw DomainException.InvalidArgument($"query set '{setName}': query '{missing}' has no entry in the recipe");
    }
}
