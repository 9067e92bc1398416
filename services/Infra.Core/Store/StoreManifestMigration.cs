using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Infra.Core.Checkpoints;

namespace Infra.Core.Store;

/// <summary>
/// Reads <c>manifest.json</c> of any format this build knows. Format 1 (PascalCase layer keys, a second copy of the
/// schema under "Schema", PascalCase enum values, one damping per preconditioner) is rewritten into format 2's shape in
/// memory before it is deserialised; the store writes format 2 at its next commit, so an old store opens unchanged on
/// disk and migrates by being used. Format 2 lacks only format 3's optional difficulty scheme and needs no rewriting.
/// </summary>
internal static class StoreManifestMigration
{
    private static readonly (string Old, string New)[] LayerKeys =
        [("Name", "name"), ("DIn", "d_in"), ("DOut", "d_out"), ("KIn", "k_in"), ("KOut", "k_out")];

    /// <exception cref="StoreException">Unreadable JSON (Corrupt), or a format this build does not read.</exception>
    public static StoreManifest Read(string manifestPath)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(manifestPath));
        }
        catch (JsonException ex)
        {
            throw new StoreException(StoreErrorKind.Corrupt, $"{manifestPath} is not a valid store manifest: {ex.Message}", ex);
        }
        if (root is not JsonObject manifest) throw new StoreException(StoreErrorKind.Corrupt, $"{manifestPath} is not a valid store manifest: not a JSON object");
        // Format 1 read a missing format_version as 1, so a manifest without one is format 1.
        var version = manifest["format_version"] switch
        {
            null => 1,
            JsonValue v when v.TryGetValue<int>(out var n) => n,
            _ => 0,
        };
        if (version == 1) FromVersion1(manifest, Path.GetDirectoryName(Path.GetFullPath(manifestPath))!);
        // Format 2 is format 3 without a difficulty scheme: it reads as it is.
        else if (version is not (2 or StoreManifest.CurrentVersion))
            throw new StoreException($"{manifestPath}: format version {version}, this build reads 1 to {StoreManifest.CurrentVersion}");
        try
        {
            return manifest.Deserialize<StoreManifest>(StoreManifest.Json) ?? throw new StoreException(StoreErrorKind.Corrupt, $"{manifestPath} is empty");
        }
        catch (JsonException ex)
        {
            throw new StoreException(StoreErrorKind.Corrupt, $"{manifestPath} is not a valid store manifest: {ex.Message}", ex);
        }
    }

    private static void FromVersion1(JsonObject manifest, string storePath)
    {
        manifest.Remove("Schema");
        manifest["format_version"] = StoreManifest.CurrentVersion;
        if (manifest["dtype"] is JsonValue dtype && dtype.TryGetValue<string>(out var name)) manifest["dtype"] = name.ToLowerInvariant();
        var layerCount = 0;
        if (manifest["layers"] is JsonArray layers)
        {
            layerCount = layers.Count;
            foreach (var layer in layers.OfType<JsonObject>())
                foreach (var (old, renamed) in LayerKeys)
                    if (layer[old] is { } value)
                    {
                        layer.Remove(old);
                        layer[renamed] = value.DeepClone();
                    }
        }
        if (manifest["preconditioners"] is not JsonObject preconditioners) return;
        foreach (var (_, node) in preconditioners)
        {
            if (node is not JsonObject entry) continue;
            if (entry["kind"] is JsonValue kind && kind.TryGetValue<string>(out var k)) entry["kind"] = k.ToLowerInvariant();
            if (entry["damping"] is JsonValue single && single.TryGetValue<double>(out var d))
                entry["damping"] = new JsonArray(PerLayerDamping(storePath, entry, d, layerCount).Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());
        }
    }

    // Format 1 kept layer 0's damping in the manifest and every layer's in the tensor file's metadata; the file is the
    // better source. When it cannot be read, the one value stands for every layer (Load checks the file anyway).
    private static double[] PerLayerDamping(string storePath, JsonObject entry, double layer0, int layers)
    {
        try
        {
            if (entry["file"]?["name"]?.GetValue<string>() is { } file)
            {
                using var tensors = SafetensorsFile.Open(Path.Combine(storePath, "preconditioners", file));
                if (tensors.Metadata.TryGetValue("damping", out var joined))
                    return joined.Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidDataException or CheckpointException)
        {
        }
        return Enumerable.Repeat(layer0, Math.Max(layers, 1)).ToArray();
    }
}
