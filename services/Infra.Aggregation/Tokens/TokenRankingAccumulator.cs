using Infra.Core.Errors;

namespace Infra.Aggregation.Tokens;

/// <summary>
/// Streams token scores into per-query-domain token rankings. Each <see cref="Add"/> costs one
/// dictionary update: memory grows with the distinct (token, category) pairs per domain, bounded by
/// vocabulary x categories, not with the corpus.
/// </summary>
/// <remarks>
/// Tokens are grouped by their normalised text (<see cref="Normalise"/>: leading and trailing
/// whitespace trimmed, so " so" and "so" are one token) together with their category, so that "if"
/// as a prose connector and "if" as a code keyword stay apart. What one added score means is the
/// caller's choice (one token against one query, or a token's mean over a domain's queries); sums
/// and means are over what was added. Not thread-safe.
/// </remarks>
public sealed class TokenRankingAccumulator
{
    private readonly TokenRankingOptions _options;
    private readonly Dictionary<string, Dictionary<(string Token, TokenCategory Category), (long Count, double Sum)>> _domains = new(StringComparer.Ordinal);

    /// <summary>An empty accumulator; <paramref name="options"/> defaults to <see cref="TokenRankingOptions"/>' defaults.</summary>
    public TokenRankingAccumulator(TokenRankingOptions? options = null)
    {
        _options = options ?? new TokenRankingOptions();
        _options.Validate();
    }

    /// <summary>Query domains seen, in first-seen order.</summary>
    public IEnumerable<string> Domains => _domains.Keys;

    /// <summary>
    /// The grouping key of a token text: trimmed of leading and trailing whitespace; a token that is
    /// whitespace only keeps its raw text, so a line break and an indentation stay distinct.
    /// </summary>
    public static string Normalise(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var trimmed = token.Trim();
        return trimmed.Length == 0 ? token : trimmed;
    }

    /// <summary>Adds one score of <paramref name="token"/> for <paramref name="queryDomain"/>.</summary>
    /// <exception cref="ArgumentException">The score is NaN or infinite.</exception>
    public void Add(string token, TokenCategory category, double score, string queryDomain)
    {
        ArgumentNullException.ThrowIfNull(queryDomain);
        if (!double.IsFinite(score))
            throw DomainException.InvalidArgument($"score of token '{token}' is {score}; scores must be finite");
        if (!_domains.TryGetValue(queryDomain, out var tokens))
            _domains[queryDomain] = tokens = [];
        var key = (Normalise(token), category);
        var (count, sum) = tokens.GetValueOrDefault(key);
        tokens[key] = (count + 1, sum + score);
    }

    /// <summary>The ranking of one domain (empty lists when nothing was added for it).</summary>
    public TokenRanking Result(string queryDomain)
    {
        ArgumentNullException.ThrowIfNull(queryDomain);
        var tokens = _domains.TryGetValue(queryDomain, out var found) ? found : [];
        var all = tokens.Select(t => new TokenStatistic(t.Key.Token, t.Key.Category, t.Value.Count, t.Value.Sum))
            .OrderByDescending(t => t.Mean).ThenByDescending(t => t.Count).ThenBy(t => t.Token, StringComparer.Ordinal).ThenBy(t => t.Category)
            .ToList();
        var ranked = all.Where(t => t.Count >= _options.MinCount).ToList();
        var bottom = ranked.OrderBy(t => t.Mean).ThenByDescending(t => t.Count).ThenBy(t => t.Token, StringComparer.Ordinal).ThenBy(t => t.Category)
            .Take(_options.RankCount).ToList();
        var categories = all.GroupBy(t => t.Category).OrderBy(g => g.Key)
            .Select(g => new CategoryTotal(g.Key, g.Sum(t => t.Count), g.Sum(t => t.Sum))).ToList();
        return new TokenRanking(queryDomain, all.Sum(t => t.Count), all.Sum(t => t.Sum), all, ranked.Take(_options.RankCount).ToList(), bottom, categories);
    }

    /// <summary>Every domain's ranking.</summary>
    public IReadOnlyDictionary<string, TokenRanking> Results() => _domains.Keys.ToDictionary(d => d, Result, StringComparer.Ordinal);
}
