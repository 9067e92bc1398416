using Infra.Core.Metadata;

namespace Infra.Core.Store;

/// <summary>
/// The names every store answers to besides its examples' own metadata columns: <c>domain</c> (string),
/// <c>difficulty</c> (int level, 0 = unlabelled) and <c>estimated_difficulty</c> (the store's own estimate, an int
/// level). They are reserved: an example's metadata may not use them, so a name always means one thing.
/// </summary>
public static class MetadataColumns
{
    /// <summary>The example's domain, as a string value.</summary>
    public const string Domain = "domain";

    /// <summary>The example's difficulty level, as an int value (0 = unlabelled).</summary>
    public const string Difficulty = "difficulty";

    /// <summary>The store's estimated difficulty level (see <see cref="EstimatedDifficulty"/>), as an int value (0 = no loss tokens).</summary>
    public const string EstimatedDifficulty = "estimated_difficulty";

    /// <summary>The built-in names, in the order error messages list them.</summary>
    public static IReadOnlyList<string> Reserved { get; } = [Domain, Difficulty, EstimatedDifficulty];

    /// <summary>An empty metadata map (shared: examples without metadata allocate nothing).</summary>
    public static IReadOnlyDictionary<string, MetadataValue> None { get; } = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> is one of the built-in names.</summary>
    public static bool IsReserved(string name) => Reserved.Contains(name, StringComparer.Ordinal);
}
