namespace Infra.Lab.Experiments;

/// <summary>Rolls example-level influence scores up to domain x difficulty cells of the training corpus.</summary>
public static class InfluenceCellTable
{
    /// <summary>
    /// Per training cell: the mean score over (query, example) pairs with a math query, with a code query, and the
    /// average of those two means (the query domains count equally). Sorted by domain then difficulty.
    /// </summary>
    public static IReadOnlyList<InfluenceCell> Build(IEnumerable<InfluenceScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return scores.GroupBy(s => s.Train)
            .OrderBy(g => g.Key.Domain, StringComparer.Ordinal).ThenBy(g => g.Key.Difficulty)
            .Select(g =>
            {
                var onMath = MeanOf(g.Where(s => s.QueryDomain == "math"));
                var onCode = MeanOf(g.Where(s => s.QueryDomain == "code"));
                var both = new[] { onMath, onCode }.Where(double.IsFinite).ToList();
                return new InfluenceCell(g.Key, g.Select(s => s.ExampleId).Distinct(StringComparer.Ordinal).Count(), onMath, onCode,
                    both.Count == 0 ? double.NaN : both.Average());
            })
            .ToList();
    }

    private static double MeanOf(IEnumerable<InfluenceScore> scores)
    {
        var list = scores.Select(s => s.Score).ToList();
        return list.Count == 0 ? double.NaN : list.Average();
    }
}
