using Infra.Core.Metadata;

namespace Infra.Core.Store;

/// <summary>Difficulty schemes compared and named as the store refuses them (a scheme's record equality compares its collections by reference).</summary>
public static class DifficultySchemes
{
    /// <summary>Whether two schemes (null = none) mean the same levels: same source, column, levels, mapping and bin edges.</summary>
    public static bool Same(DifficultyScheme? a, DifficultyScheme? b)
    {
        if (a is null || b is null) return a is null && b is null;
        return a.Source == b.Source && a.Column == b.Column && a.Levels == b.Levels
            && a.BinEdges.SequenceEqual(b.BinEdges)
            && a.Mapping.Count == b.Mapping.Count && a.Mapping.All(p => b.Mapping.TryGetValue(p.Key, out var level) && level == p.Value);
    }

    /// <summary>A scheme as error messages name it; null reads "none (levels given as integers, or no difficulty)".</summary>
    public static string Describe(DifficultyScheme? scheme) =>
        scheme is null ? "none (levels given as integers, or no difficulty)" : $"'{scheme.Describe()}'";
}
