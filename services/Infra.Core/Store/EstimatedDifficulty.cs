using Infra.Core.Metadata;
using Infra.Core.Statistics;

namespace Infra.Core.Store;

/// <summary>
/// The store's own difficulty estimate, for corpora without a difficulty label: each example's mean answer loss under
/// the indexed model (its loss, summed over loss-mask tokens, per loss-mask token) cut into <see cref="Levels"/>
/// quantile bins over the store. Level 1 holds the lowest losses (the easiest examples), level 5 the highest; an
/// example without loss-mask tokens (or with a non-finite loss) has level 0, unlabelled. Deterministic: the same
/// stored losses give the same edges.
/// </summary>
/// <param name="Examples">The number of stored examples it was computed over (a store with more is re-estimated).</param>
/// <param name="BinEdges">The upper bounds of levels 1..4 (the 20/40/60/80% quantiles, numpy's default interpolation); empty when no example has loss-mask tokens.</param>
public sealed record EstimatedDifficulty(long Examples, IReadOnlyList<double> BinEdges)
{
    /// <summary>Number of levels: 5.</summary>
    public const int Levels = 5;

    /// <summary>The estimate as a difficulty scheme (source Estimated, no column), as outputs name it.</summary>
    public DifficultyScheme Scheme => new(DifficultySource.Estimated, "", new Dictionary<string, int>(), BinEdges, Levels);

    /// <summary>The level of <paramref name="shard"/>'s example <paramref name="row"/>: 1..5, or 0 without loss-mask tokens.</summary>
    public int Level(ShardMetadata shard, int row)
    {
        ArgumentNullException.ThrowIfNull(shard);
        return shard.MeanAnswerLoss(row) is { } mean && double.IsFinite(mean) ? DifficultyScheme.BinLevel(BinEdges, mean) : DifficultyScheme.Unlabelled;
    }

    /// <summary>Estimates <paramref name="store"/>'s difficulty from its stored losses (one double per example in memory).</summary>
    public static EstimatedDifficulty Compute(IStoreView store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var means = new List<double>();
        long examples = 0;
        foreach (var shard in store.Shards)
        {
            var metadata = shard.Metadata;
            examples += metadata.Count;
            for (var row = 0; row < metadata.Count; row++)
            {
                if (metadata.MeanAnswerLoss(row) is { } mean && double.IsFinite(mean)) means.Add(mean);
            }
        }
        if (means.Count == 0) return new EstimatedDifficulty(examples, []);
        var sorted = means.ToArray();
        Array.Sort(sorted);
        var edges = Enumerable.Range(1, Levels - 1).Select(k => Quantile.OfSorted(sorted, (double)k / Levels)).ToArray();
        return new EstimatedDifficulty(examples, edges);
    }
}
