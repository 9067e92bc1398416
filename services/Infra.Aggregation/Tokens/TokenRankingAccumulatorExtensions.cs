using Infra.Aggregation.Sequences;
using Infra.Core.Errors;

namespace Infra.Aggregation.Tokens;

/// <summary>Feeds a mapped example into a <see cref="TokenRankingAccumulator"/>.</summary>
public static class TokenRankingAccumulatorExtensions
{
    /// <summary>
    /// Adds every response token of <paramref name="map"/> once per query: its score for query m
    /// under <paramref name="queryDomains"/>[m], its category from
    /// <see cref="TokenClassifier.Classify"/> in its sequence's context (code or prose). Tokens
    /// outside the loss mask are skipped.
    /// </summary>
    /// <exception cref="ArgumentException">The domains do not match the map's query count.</exception>
    public static void AddResponse(this TokenRankingAccumulator accumulator, SequenceTokenMap map, IReadOnlyList<string> queryDomains)
    {
        ArgumentNullException.ThrowIfNull(accumulator);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(queryDomains);
        if (queryDomains.Count != map.QueryCount)
            throw DomainException.InvalidArgument($"{queryDomains.Count} query domains for {map.QueryCount} queries");
        var tokens = map.Tokens;
        for (var t = 0; t < tokens.Count; t++)
        {
            if (map.TokenSequence[t] is not (>= 0 and var s))
                continue;
            var category = TokenClassifier.Classify(tokens.Tokens[t], map.Sequences[s].IsCode);
            for (var q = 0; q < map.QueryCount; q++)
                accumulator.Add(tokens.Tokens[t], category, tokens.Scores[(t * map.QueryCount) + q], queryDomains[q]);
        }
    }
}
