using Infra.Contracts.Scoring.V1;

namespace Infra.Client.Sharding;

/// <summary>
/// One StoreInfo for a set of shards, as a single store holding all their examples would answer: examples, tokens and
/// store files summed; the schema checked equal on every shard that has a store; preconditioners and query sets listed
/// when every such shard has them (a name missing on one shard cannot be scored over the set); metadata columns by name
/// with their counts summed.
/// </summary>
/// <remarks>
/// What cannot be summed exactly is stated: a column's <c>distinct</c> is the largest shard's count (a lower bound of the
/// set's), a preconditioner's damping is the first shard's (each shard fits its own, see README "Sharded scoring"), and
/// the estimated difficulty scheme is the first shard's (each shard bins its own examples).
/// </remarks>
public static class StoreInfoMerge
{
    /// <summary>The merged answer; <paramref name="perShard"/> in shard order.</summary>
    /// <exception cref="InvalidOperationException">Two shards' schemas differ (model, layers, projection, dtype, token factors, difficulty scheme): the message names the shard.</exception>
    public static StoreInfoResponse Merge(IReadOnlyList<StoreInfoResponse> perShard)
    {
        ArgumentNullException.ThrowIfNull(perShard);
        var merged = new StoreInfoResponse { Path = string.Join(",", perShard.Select(s => s.Path)) };
        var existing = perShard.Select((info, shard) => (Info: info, Shard: shard)).Where(s => s.Info.Exists).ToList();
        if (existing.Count == 0) return merged;
        var (reference, referenceShard) = existing[0];
        foreach (var (info, shard) in existing.Skip(1))
        {
            if (!Equals(info.Schema, reference.Schema))
                throw new InvalidOperationException($"shard {shard}'s store schema differs from shard {referenceShard}'s ({info.Schema} vs {reference.Schema}): the shards were indexed with different models or settings");
        }
        merged.Exists = true;
        merged.Schema = reference.Schema;
        merged.EstimatedDifficulty = reference.EstimatedDifficulty;
        foreach (var (info, _) in existing)
        {
            merged.Examples += info.Examples;
            merged.Tokens += info.Tokens;
            merged.Shards += info.Shards;
        }
        foreach (var preconditioner in reference.Preconditioners)
        {
            var same = existing.Select(s => s.Info.Preconditioners.FirstOrDefault(p => p.Name == preconditioner.Name && p.Kind == preconditioner.Kind)).ToList();
            if (same.Any(p => p is null)) continue;
            var info = preconditioner.Clone();
            info.Examples = (ulong)same.Sum(p => (decimal)p!.Examples);
            merged.Preconditioners.Add(info);
        }
        merged.QuerySets.AddRange(reference.QuerySets.Where(name => existing.All(s => s.Info.QuerySets.Contains(name))));
        merged.MetadataColumns.AddRange(existing.SelectMany(s => s.Info.MetadataColumns).GroupBy(c => c.Name, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MetadataColumn
            {
                Name = g.Key, Type = g.First().Type, Examples = (ulong)g.Sum(c => (decimal)c.Examples), Distinct = g.Max(c => c.Distinct),
            }));
        return merged;
    }
}
