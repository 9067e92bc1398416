using Infra.Aggregation.Rollups;
using Infra.Core.Errors;
using Infra.Corpus;

namespace Infra.Aggregation.Reweighting;

/// <summary>Builds <see cref="WeightingExample"/>s from a corpus and an <see cref="InfluenceRollup"/>.</summary>
public static class WeightingExamples
{
    /// <summary>
    /// One <see cref="WeightingExample"/> per corpus record, in corpus order, with its influence
    /// under <paramref name="scope"/> (NaN when the roll-up has no score for it, or under
    /// <see cref="InfluenceScope.OwnDomain"/> when the query set has no query of its domain) and its
    /// token count from <paramref name="tokenCounts"/> (1 for every example when null).
    /// </summary>
    /// <exception cref="ArgumentException">A record missing from the roll-up or from <paramref name="tokenCounts"/>, or a token count &lt; 1.</exception>
    public static IReadOnlyList<WeightingExample> From(
        IEnumerable<CorpusRecord> corpus,
        InfluenceRollup rollup,
        InfluenceScope scope = InfluenceScope.OwnDomain,
        IReadOnlyDictionary<string, int>? tokenCounts = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(rollup);
        var examples = new List<WeightingExample>();
        foreach (var record in corpus)
        {
            var domain = record.Domain;
            var queryDomain = scope == InfluenceScope.AllQueries ? InfluenceRollup.AllQueries : domain;
            var influence = queryDomain == InfluenceRollup.AllQueries || rollup.QueryDomains.Contains(queryDomain)
                ? rollup.ExampleInfluence(record.Id, queryDomain)
                : double.NaN;
            var tokens = 1;
            if (tokenCounts is not null && !tokenCounts.TryGetValue(record.Id, out tokens))
            {
                throw DomainException.InvalidArgument($"no token count for example '{record.Id}'");
            }
            if (tokens < 1)
            {
                throw DomainException.InvalidArgument($"example '{record.Id}' has {tokens} tokens (needs >= 1)");
            }
            examples.Add(new WeightingExample(record.Id, domain, record.Difficulty, influence, tokens));
        }
        return examples;
    }
}
