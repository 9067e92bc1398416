using System.Text.Json;
using System.Text.Json.Serialization;
using Infra.Core.IO;

namespace Infra.Core.Store;

/// <summary>
/// <c>estimated-difficulty.json</c> in the store folder: the saved <see cref="EstimatedDifficulty"/>,
/// <c>{ "format_version": 1, "examples": n, "levels": 5, "bin_edges": [...] }</c> (snake_case). Computed on first
/// request and recomputed when the store's example count is no longer the one it was computed over (the store is
/// append-only, so the count tells whether examples were added).
/// </summary>
public static class EstimatedDifficultyFile
{
    /// <summary>The file's name inside the store folder.</summary>
    public const string FileName = "estimated-difficulty.json";

    /// <summary>Format version this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>
    /// The estimate for <paramref name="store"/> as it is: the saved one when it was computed over the store's current
    /// example count, else computed now and saved (atomically). Null for a store without examples. A store folder that
    /// cannot be written still gets its estimate (computed again next time): it is a cache of the losses, not data.
    /// </summary>
    /// <exception cref="StoreException">The saved file is unreadable (Corrupt) or of a format this build does not read.</exception>
    public static EstimatedDifficulty? GetOrCompute(IStoreView store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.Count == 0) return null;
        if (Load(store.Path) is { } saved && saved.Examples == store.Count) return saved;
        var estimate = EstimatedDifficulty.Compute(store);
        try
        {
            Save(store.Path, estimate);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return estimate;
    }

    /// <summary>The saved estimate, or null when none was saved yet.</summary>
    /// <exception cref="StoreException">An unreadable file (Corrupt) or one of a format this build does not read.</exception>
    public static EstimatedDifficulty? Load(string storePath)
    {
        var path = Path.Combine(storePath, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            var file = ProjectJson.Deserialize<SavedEstimate>(File.ReadAllText(path), CurrentVersion, ProjectJson.Options, path)
                ?? throw new JsonException($"{path} is empty");
            return new EstimatedDifficulty(file.Examples, file.BinEdges);
        }
        catch (JsonException ex)
        {
            throw new StoreException(StoreErrorKind.Corrupt, $"{path} is not a readable difficulty estimate: {ex.Message}", ex);
        }
    }

    /// <summary>Saves <paramref name="estimate"/> atomically (write, fsync, rename, fsync the folder).</summary>
    public static void Save(string storePath, EstimatedDifficulty estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        var file = new SavedEstimate(estimate.Examples, EstimatedDifficulty.Levels, estimate.BinEdges);
        AtomicFile.WriteText(Path.Combine(storePath, FileName), ProjectJson.Serialize(file, CurrentVersion));
    }

    private sealed record SavedEstimate(
        [property: JsonPropertyName("examples")] long Examples,
        [property: JsonPropertyName("levels")] int Levels,
        [property: JsonPropertyName("bin_edges")] IReadOnlyList<double> BinEdges);
}
