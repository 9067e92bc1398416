using Grpc.Core;
using Infra.Contracts.Metadata;
using Infra.Contracts.Scoring.V1;

namespace Infra.Client.Pipeline;

/// <summary>
/// Refuses to add examples whose levels mean something else than the store's: a store that saved a difficulty scheme
/// takes only a corpus read with the same one, checked before any gradient is computed.
/// </summary>
internal static class StoreDifficulty
{
    /// <exception cref="RpcException">FAILED_PRECONDITION naming both schemes.</exception>
    public static void Check(StoreInfoResponse info, IndexSettings settings)
    {
        if (!info.Exists || info.Schema?.Difficulty is not { } saved) return;
        var stored = MetadataWire.FromWire(saved);
        var wanted = settings.Difficulty ?? Core.Metadata.DifficultyScheme.Given;
        if (stored is null || Same(stored, wanted)) return;
        throw new RpcException(new Status(StatusCode.FailedPrecondition,
            $"the store's difficulty levels are {stored.Describe()}, but this corpus was read with {wanted.Describe()}; index it into a new store or read it the store's way"));
    }

    private static bool Same(Core.Metadata.DifficultyScheme a, Core.Metadata.DifficultyScheme b) =>
        a.Source == b.Source && a.Column == b.Column && a.Levels == b.Levels
        && a.BinEdges.SequenceEqual(b.BinEdges)
        && a.Mapping.Count == b.Mapping.Count && a.Mapping.All(p => b.Mapping.TryGetValue(p.Key, out var level) && level == p.Value);
}
