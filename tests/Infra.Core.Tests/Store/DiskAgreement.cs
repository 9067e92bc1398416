using System.Text.Json;
using Infra.Core.Scoring;
using Infra.Core.Store;

namespace Infra.Core.Tests.Store;

/// <summary>Checks that what a live store believes is what its folder holds, and that the folder holds nothing unnamed.</summary>
internal static class DiskAgreement
{
    /// <summary>Reopens a copy of the store's folder (the live one is locked) and compares ids, counts, preconditioners and query sets.</summary>
    public static void AssertSame(GradientStore live)
    {
        var copy = Directory.CreateTempSubdirectory("infra-store-copy-").FullName;
        try
        {
            CopyFolder(live.Path, copy);
            using var reopened = GradientStore.Open(copy);
            var snapshot = live.Snapshot;
            Assert.Equal(Ids(snapshot), Ids(reopened.Snapshot));
            Assert.Equal(snapshot.Count, reopened.Count);
            Assert.Equal(snapshot.Shards.Select(s => s.Entry.Name), reopened.Shards.Select(s => s.Entry.Name));
            Assert.Equal(snapshot.Manifest.Preconditioners.Keys.Order(), reopened.Manifest.Preconditioners.Keys.Order());
            Assert.Equal(snapshot.QuerySets, reopened.QuerySets);
            foreach (var name in snapshot.QuerySets)
                Assert.Equal(QuerySetRepository.Load(snapshot, name).Queries.Select(q => q.Id), QuerySetRepository.Load(reopened, name).Queries.Select(q => q.Id));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>Every file in the store is the manifest, the lock, a committed shard's, a fitted preconditioner's or a registered query set's.</summary>
    public static void AssertNoStrayFiles(GradientStore store)
    {
        var manifest = store.Manifest;
        var named = new HashSet<string>(StringComparer.Ordinal) { "manifest.json", ".lock" };
        named.UnionWith(manifest.Shards.SelectMany(s => s.Files).Select(f => Path.Combine("shards", f.Name)));
        named.UnionWith(manifest.Preconditioners.Values.Select(p => Path.Combine("preconditioners", p.File.Name)));
        foreach (var set in store.QuerySets)
        {
            named.Add(Path.Combine("queries", set + ".json"));
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(store.Path, "queries", set + ".json")));
            named.Add(Path.Combine("queries", json.RootElement.GetProperty("tensors").GetString()!));
        }
        var present = Directory.EnumerateFiles(store.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(store.Path, f)).ToList();
        Assert.DoesNotContain(present, f => !named.Contains(f));
    }

    private static List<string> Ids(StoreSnapshot store) => store.Shards.SelectMany(s => s.Metadata.Ids).Order(StringComparer.Ordinal).ToList();

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative == ".lock") continue; // held by the live store
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }
}
