using Infra.Aggregation.Rollups;
using Infra.Contracts.Scoring.V1;
using DifficultyScheme = Infra.Contracts.Gradients.V1.DifficultyScheme;

namespace Infra.Aggregation.Services;

/// <summary>Which of the store's difficulty schemes a grouping's levels follow.</summary>
internal static class DifficultySchemes
{
    /// <summary>
    /// The store's estimate (StoreInfo.estimated_difficulty) when <paramref name="grouping"/> groups by
    /// "estimated_difficulty", else the scheme saved with the store (schema.difficulty); null when unset
    /// (levels given as integers, or none).
    /// </summary>
    public static DifficultyScheme? For(Grouping grouping, StoreInfoResponse store) =>
        grouping.Columns.Contains(Grouping.EstimatedDifficulty) ? store.EstimatedDifficulty : store.Schema?.Difficulty;

    /// <summary>The scheme as one line for people, "estimated" named as such; "" when none is known.</summary>
    public static string Describe(Grouping grouping, StoreInfoResponse store)
    {
        var scheme = For(grouping, store);
        var estimated = grouping.Columns.Contains(Grouping.EstimatedDifficulty);
        if (scheme is null)
            return estimated ? "estimated difficulty (the store has not described its estimate)" : "difficulty given as integer levels (0 = unlabelled)";
        var text = scheme.Description.Length > 0 ? scheme.Description : Infra.Contracts.Metadata.MetadataWire.FromWire(scheme)!.Describe();
        return estimated && !text.StartsWith("estimated", StringComparison.OrdinalIgnoreCase) ? "estimated: " + text : text;
    }
}
