using System.Text.Json;

namespace Infra.Cli.Tests.Harness;

/// <summary>How far a ScoringService store's ingest has got, read from its manifest while another process writes it.</summary>
internal static class StoreManifestProbe
{
    /// <summary>The shard files the store's manifest.json names; 0 while there is none or it is being replaced.</summary>
    public static int CommittedShards(string store)
    {
        var path = Path.Combine(store, "manifest.json");
        if (!File.Exists(path)) return 0;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.GetProperty("shards").GetArrayLength();
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return 0;
        }
    }
}
