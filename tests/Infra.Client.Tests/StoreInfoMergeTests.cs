using Infra.Client.Sharding;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Client.Tests;

/// <summary>StoreInfo over shards: counts summed, schema checked, names kept only where every shard has them.</summary>
public sealed class StoreInfoMergeTests
{
    [Fact]
    public void Counts_are_summed_and_names_kept_where_every_shard_with_a_store_has_them()
    {
        var a = Info("/a", 5, 50, "p", "set", ("domain", 5, 2));
        var b = Info("/b", 3, 40, "p", "set", ("domain", 3, 2), ("rating", 1, 1));
        b.QuerySets.Add("only-b");
        var empty = new StoreInfoResponse { Path = "/c" };   // a shard no example was routed to yet

        var merged = StoreInfoMerge.Merge([a, b, empty]);

        Assert.True(merged.Exists);
        Assert.Equal("/a,/b,/c", merged.Path);
        Assert.Equal(8UL, merged.Examples);
        Assert.Equal(90UL, merged.Tokens);
        Assert.Equal(2U, merged.Shards);
        Assert.Equal(a.Schema, merged.Schema);
        Assert.Equal(["set"], merged.QuerySets);
        var preconditioner = Assert.Single(merged.Preconditioners);
        Assert.Equal(8UL, preconditioner.Examples);
        Assert.Equal(["domain", "rating"], merged.MetadataColumns.Select(c => c.Name));
        Assert.Equal(8UL, merged.MetadataColumns[0].Examples);
        Assert.Equal(1UL, merged.MetadataColumns[1].Examples);
    }

    [Fact]
    public void No_shard_with_a_store_is_no_store()
    {
        var merged = StoreInfoMerge.Merge([new StoreInfoResponse { Path = "/a" }, new StoreInfoResponse { Path = "/b" }]);
        Assert.False(merged.Exists);
        Assert.Equal(0UL, merged.Examples);
    }

    [Fact]
    public void Shards_with_different_schemas_are_refused_naming_the_shard()
    {
        var a = Info("/a", 1, 1, "p", "set");
        var b = Info("/b", 1, 1, "p", "set");
        b.Schema.Projection.Seed = 7;
        var error = Assert.Throws<InvalidOperationException>(() => StoreInfoMerge.Merge([a, b]));
        Assert.Contains("shard 1", error.Message, StringComparison.Ordinal);
    }

    private static StoreInfoResponse Info(string path, ulong examples, ulong tokens, string preconditioner, string set, params (string Name, ulong Examples, uint Distinct)[] columns)
    {
        var info = new StoreInfoResponse
        {
            Path = path, Exists = true, Examples = examples, Tokens = tokens, Shards = 1,
            Schema = new IngestHeader { ModelFingerprint = "m", Projection = new ProjectionSpec { KIn = 4, KOut = 4, Seed = 1 }, TokenFactors = true },
        };
        info.Preconditioners.Add(new PreconditionerInfo { Name = preconditioner, Kind = PreconditionerKind.Ekfac, Examples = examples });
        info.QuerySets.Add(set);
        info.MetadataColumns.AddRange(columns.Select(c => new MetadataColumn { Name = c.Name, Type = "string", Examples = c.Examples, Distinct = c.Distinct }));
        return info;
    }
}
