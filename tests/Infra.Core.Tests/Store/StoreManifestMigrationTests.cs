using System.Text.Json.Nodes;
using Infra.Core.Preconditioning;
using Infra.Core.Store;

namespace Infra.Core.Tests.Store;

/// <summary>
/// Manifest format 2 has one casing and no second copy of the schema; a store written in format 1 (as builds before
/// it wrote it) opens, scores and loads its preconditioners unchanged, and is written as format 2 at its next commit.
/// </summary>
public sealed class StoreManifestMigrationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("infra-manifest-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string ManifestPath => Path.Combine(_root, "manifest.json");

    [Fact]
    public void Format_2_is_snake_case_with_lower_case_enums_and_per_layer_damping()
    {
        var damping = CreateStoreWithPreconditioner();
        var manifest = JsonNode.Parse(File.ReadAllText(ManifestPath))!.AsObject();
        Assert.Equal(StoreManifest.CurrentVersion, manifest["format_version"]!.GetValue<int>());
        Assert.Null(manifest["Schema"]);
        Assert.Equal("bfloat16", manifest["dtype"]!.GetValue<string>());
        var layer = manifest["layers"]![0]!.AsObject();
        Assert.Equal(["name", "d_in", "d_out", "k_in", "k_out"], layer.Select(p => p.Key));
        var entry = manifest["preconditioners"]!["diag"]!;
        Assert.Equal("diagonal", entry["kind"]!.GetValue<string>());
        Assert.Equal(damping, entry["damping"]!.AsArray().Select(d => d!.GetValue<double>()));
    }

    [Fact]
    public void A_format_1_store_opens_unchanged_and_migrates_at_its_next_commit()
    {
        var damping = CreateStoreWithPreconditioner();
        var version1 = AsVersion1(File.ReadAllText(ManifestPath));
        File.WriteAllText(ManifestPath, version1);

        using (var store = GradientStore.Open(_root))
        {
            Assert.Equal(StoreFixtures.Schema(), store.Schema with { Layers = StoreFixtures.Layers });
            Assert.Equal(StoreFixtures.Layers, store.Schema.Layers);
            Assert.Equal(6, store.Count);
            // Every layer's damping, from the tensor file: format 1 kept only layer 0's in the manifest.
            Assert.Equal(damping, store.Snapshot.Manifest.Preconditioners["diag"].Damping);
            Assert.Equal(damping, PreconditionerRepository.Load(store.Snapshot, "diag").Layers.Select(l => l.Damping));
            Assert.Equal(version1, File.ReadAllText(ManifestPath));

            using var session = store.BeginIngest();
            session.Add(StoreFixtures.Example("e-new", 99));
            session.Flush();
        }
        var migrated = JsonNode.Parse(File.ReadAllText(ManifestPath))!.AsObject();
        Assert.Equal(StoreManifest.CurrentVersion, migrated["format_version"]!.GetValue<int>());
        Assert.Null(migrated["Schema"]);
        using var reopened = GradientStore.Open(_root);
        Assert.Equal(7, reopened.Count);
        Assert.Equal(damping, reopened.Snapshot.Manifest.Preconditioners["diag"].Damping);
    }

    [Fact]
    public void A_format_1_manifest_without_a_version_opens_as_format_1_did()
    {
        CreateStoreWithPreconditioner();
        var version1 = JsonNode.Parse(AsVersion1(File.ReadAllText(ManifestPath)))!.AsObject();
        version1.Remove("format_version");
        File.WriteAllText(ManifestPath, version1.ToJsonString());
        using var store = GradientStore.Open(_root);
        Assert.Equal(6, store.Count);
        Assert.Equal(StoreFixtures.Layers, store.Schema.Layers);
    }

    [Fact]
    public void A_format_this_build_does_not_know_is_refused_naming_the_versions_it_reads()
    {
        CreateStoreWithPreconditioner();
        var manifest = JsonNode.Parse(File.ReadAllText(ManifestPath))!.AsObject();
        manifest["format_version"] = StoreManifest.CurrentVersion + 1;
        File.WriteAllText(ManifestPath, manifest.ToJsonString());
        var error = Assert.Throws<StoreException>(() => GradientStore.Open(_root));
        Assert.Contains($"format version {StoreManifest.CurrentVersion + 1}, this build reads 1 to {StoreManifest.CurrentVersion}", error.Message, StringComparison.Ordinal);
    }

    private double[] CreateStoreWithPreconditioner()
    {
        using var store = GradientStore.OpenOrCreate(_root, StoreFixtures.Schema());
        using (var session = store.BeginIngest())
        {
            foreach (var i in Enumerable.Range(0, 6)) session.Add(StoreFixtures.Example($"e{i}", i));
            session.Flush();
        }
        var fitted = PreconditionerFitter.Fit(store.Snapshot, "diag", PreconditionerKind.Diagonal);
        PreconditionerRepository.Save(store, fitted, overwrite: false);
        var damping = fitted.Layers.Select(l => l.Damping).ToArray();
        Assert.NotEqual(damping[0], damping[1]); // so that keeping only layer 0's would show
        return damping;
    }

    // What builds before format 2 wrote: the layers' keys in PascalCase (with their computed GradientLength), the schema a second time under "Schema"
    // (with its computed GradientLength), PascalCase enum values, and layer 0's damping alone.
    private static string AsVersion1(string version2)
    {
        var manifest = JsonNode.Parse(version2)!.AsObject();
        manifest["format_version"] = 1;
        manifest["dtype"] = "BFloat16";
        var layers = new JsonArray();
        foreach (var layer in manifest["layers"]!.AsArray())
            layers.Add(new JsonObject
            {
                ["Name"] = layer!["name"]!.GetValue<string>(), ["DIn"] = layer["d_in"]!.GetValue<int>(), ["DOut"] = layer["d_out"]!.GetValue<int>(),
                ["KIn"] = layer["k_in"]!.GetValue<int>(), ["KOut"] = layer["k_out"]!.GetValue<int>(),
                ["GradientLength"] = layer["k_in"]!.GetValue<int>() * layer["k_out"]!.GetValue<int>(),
            });
        manifest["layers"] = layers;
        manifest["Schema"] = new JsonObject
        {
            ["ModelFingerprint"] = manifest["model_fingerprint"]!.GetValue<string>(), ["Layers"] = layers.DeepClone(),
            ["ProjectionIdentity"] = false, ["ProjectionSeed"] = 3, ["DType"] = "BFloat16", ["TokenFactors"] = true, ["GradientLength"] = 56,
        };
        var entry = manifest["preconditioners"]!["diag"]!.AsObject();
        entry["kind"] = "Diagonal";
        entry["damping"] = entry["damping"]!.AsArray()[0]!.GetValue<double>();
        return manifest.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }
}
