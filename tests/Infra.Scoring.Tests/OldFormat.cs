using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Infra.Core.Store;

namespace Infra.Scoring.Tests;

/// <summary>
/// Turns a store into what builds before issue 18 wrote: shard metadata files without the <c>metadata</c> column and a
/// format 2 manifest without a difficulty scheme (the files' sizes and checksums in the manifest updated to match).
/// </summary>
internal static class OldFormat
{
    public static void Rewrite(string store)
    {
        var manifestPath = Path.Combine(store, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        manifest["format_version"] = 2;
        manifest.Remove("difficulty");
        foreach (var file in manifest["shards"]!.AsArray().SelectMany(s => s!["files"]!.AsArray()).Select(f => f!.AsObject()))
        {
            var name = file["name"]!.GetValue<string>();
            if (!name.EndsWith(".arrow", StringComparison.Ordinal)) continue;
            var path = Path.Combine(store, "shards", name);
            WithoutColumn(path, "metadata");
            file["bytes"] = new FileInfo(path).Length;
            file["xxhash128"] = FileChecksum.Of(path);
        }
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        File.Delete(Path.Combine(store, EstimatedDifficultyFile.FileName));
    }

    private static void WithoutColumn(string path, string column)
    {
        RecordBatch old;
        using (var stream = File.OpenRead(path))
        using (var reader = new ArrowFileReader(stream))
        {
            var batch = reader.ReadNextRecordBatch();
            var keep = Enumerable.Range(0, batch.Schema.FieldsList.Count).Where(i => batch.Schema.FieldsList[i].Name != column).ToList();
            Assert.Equal(batch.Schema.FieldsList.Count - 1, keep.Count);
            var schema = new Schema(keep.Select(i => batch.Schema.FieldsList[i]), null);
            old = new RecordBatch(schema, keep.Select(i => batch.Column(i)), batch.Length);
            using var writer = new ArrowFileWriter(File.Create(path + ".old"), schema);
            writer.WriteRecordBatch(old);
            writer.WriteEnd();
        }
        File.Move(path + ".old", path, overwrite: true);
    }
}
