using Infra.Core.Compression;
using Infra.Core.Store;

namespace Infra.Core.Tests.Store;

public sealed class GradientStoreTests : IDisposable
{
    private readonly string _root = StoreFixtures.TempFolder();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(FactorDType.Float32, 0.0)]
    [InlineData(FactorDType.BFloat16, 1.0 / 128)]
    [InlineData(FactorDType.Float16, 1.0 / 1024)]
    [InlineData(FactorDType.Int8, 1.0 / 127)]
    public void Examples_round_trip_through_shards_and_a_reopen(FactorDType dtype, double tolerance)
    {
        var examples = Enumerable.Range(0, 11).Select(i => StoreFixtures.Example($"e{i}", i, domain: i % 2 == 0 ? "math" : "code", difficulty: 1 + i % 5)).ToList();
        using (var store = GradientStore.OpenOrCreate(_root, StoreFixtures.Schema(dtype), new GradientStoreOptions { ShardExamples = 4 }))
        {
            foreach (var e in examples) Assert.Equal(IngestOutcome.Stored, store.Add(e));
            store.Flush();
            Assert.Equal(3, store.Shards.Count);
        }
        using var reopened = GradientStore.Open(_root);
        Assert.Equal(11, reopened.Count);
        foreach (var e in examples)
        {
            var (shard, row) = reopened.Locate(e.Id)!.Value;
            Assert.Equal(e.Domain, shard.Metadata.Domains[row]);
            Assert.Equal(e.Difficulty, shard.Metadata.Difficulties[row]);
            Assert.Equal(e.TokenIds.Length, shard.Metadata.TokenCount(row));
            for (var l = 0; l < 2; l++)
            {
                AssertClose(e.ExampleGradients[l], shard.DecodeExampleGradient(row, l), tolerance);
                var (a, g) = shard.DecodeTokenFactors(row, l);
                AssertClose(e.TokenInputs![l], a, tolerance);
                AssertClose(e.TokenOutputGradients![l], g, tolerance);
            }
            var tokens = shard.ReadTokens(row);
            Assert.Equal(e.TokenIds, tokens.TokenIds);
            Assert.Equal(e.LossMask, tokens.LossMask);
            Assert.Equal(e.TokenLosses, tokens.TokenLosses);
            Assert.Equal(e.Text[1..2], tokens.TokenString(1));
        }
    }

    [Fact]
    public void Resending_is_skipped_and_the_same_id_with_other_content_is_refused_also_after_reopen()
    {
        var e = StoreFixtures.Example("x", 1);
        using (var store = GradientStore.OpenOrCreate(_root, StoreFixtures.Schema()))
        {
            Assert.Equal(IngestOutcome.Stored, store.Add(e));
            Assert.Equal(IngestOutcome.Skipped, store.Add(e));
            store.Flush();
        }
        using var reopened = GradientStore.Open(_root);
        Assert.Equal(IngestOutcome.Skipped, reopened.Add(e with { ExampleGradients = StoreFixtures.Example("x", 2).ExampleGradients }));
        var conflict = Assert.Throws<StoreException>(() => reopened.Add(e with { TokenIds = [.. e.TokenIds.Reverse()] }));
        Assert.Contains("'x' is already stored with different content", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crashed_ingest_resumes_without_losing_or_doubling_anything()
    {
        var examples = Enumerable.Range(0, 10).Select(i => StoreFixtures.Example($"e{i}", 100 + i)).ToList();
        var reference = Path.Combine(_root, "reference");
        using (var store = GradientStore.OpenOrCreate(reference, StoreFixtures.Schema(), new GradientStoreOptions { ShardExamples = 3 }))
        {
            foreach (var e in examples) store.Add(e);
            store.Flush();
        }

        var crashed = Path.Combine(_root, "crashed");
        var store1 = GradientStore.OpenOrCreate(crashed, StoreFixtures.Schema(), new GradientStoreOptions { ShardExamples = 3 });
        foreach (var e in examples.Take(7)) store1.Add(e); // commits two shards (6 examples), one pending
        store1.Dispose(); // the process dies: the pending example is lost, never half-written
        // ... and it died while writing the next shard: a file the manifest does not name, and a temp file.
        File.WriteAllBytes(Path.Combine(crashed, "shards", "shard-000002.safetensors"), [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(crashed, "manifest.json.tmp-0123"), [4, 5]);

        using (var resumed = GradientStore.OpenOrCreate(crashed, StoreFixtures.Schema(), new GradientStoreOptions { ShardExamples = 3 }))
        {
            Assert.Equal(6, resumed.Count);
            Assert.False(File.Exists(Path.Combine(crashed, "shards", "shard-000002.safetensors")));
            var outcomes = examples.Select(resumed.Add).ToList();
            Assert.Equal(6, outcomes.Count(o => o == IngestOutcome.Skipped));
            resumed.Flush();
        }
        using var a = GradientStore.Open(reference);
        using var b = GradientStore.Open(crashed);
        Assert.Equal(a.Count, b.Count);
        foreach (var e in examples)
        {
            var (sa, ra) = a.Locate(e.Id)!.Value;
            var (sb, rb) = b.Locate(e.Id)!.Value;
            for (var l = 0; l < 2; l++)
                Assert.Equal(sa.DecodeExampleGradient(ra, l), sb.DecodeExampleGradient(rb, l));
        }
    }

    [Fact]
    public void A_corrupt_or_truncated_shard_is_named_on_open()
    {
        using (var store = GradientStore.OpenOrCreate(_root, StoreFixtures.Schema()))
        {
            store.Add(StoreFixtures.Example("a", 1));
            store.Flush();
        }
        var shard = Path.Combine(_root, "shards", "shard-000000.safetensors");
        var bytes = File.ReadAllBytes(shard);
        bytes[^5] ^= 0xFF;
        File.WriteAllBytes(shard, bytes);
        var corrupt = Assert.Throws<StoreException>(() => GradientStore.Open(_root));
        Assert.Contains("shard-000000.safetensors is corrupt", corrupt.Message, StringComparison.Ordinal);

        File.WriteAllBytes(shard, bytes[..^10]);
        var truncated = Assert.Throws<StoreException>(() => GradientStore.Open(_root));
        Assert.Contains("shard-000000.safetensors is truncated", truncated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_of_another_model_projection_or_dtype_is_refused_naming_both_sides()
    {
        GradientStore.OpenOrCreate(_root, StoreFixtures.Schema()).Dispose();
        var model = Assert.Throws<StoreException>(() => GradientStore.OpenOrCreate(_root, StoreFixtures.Schema(fingerprint: "0123456789abcdef")));
        Assert.Contains("model f00dfeed0000…", model.Message, StringComparison.Ordinal);
        Assert.Contains("model 0123456789ab…", model.Message, StringComparison.Ordinal);
        var seed = Assert.Throws<StoreException>(() => GradientStore.OpenOrCreate(_root, StoreFixtures.Schema() with { ProjectionSeed = 4 }));
        Assert.Contains("Gaussian with seed 3", seed.Message, StringComparison.Ordinal);
        var dims = Assert.Throws<StoreException>(() => GradientStore.OpenOrCreate(_root, StoreFixtures.Schema() with
        {
            Layers = [StoreFixtures.Layers[0] with { KIn = 16 }, StoreFixtures.Layers[1]],
        }));
        Assert.Contains("k_in 8", dims.Message, StringComparison.Ordinal);
        Assert.Contains("k_in 16", dims.Message, StringComparison.Ordinal);
        Assert.Throws<StoreException>(() => GradientStore.OpenOrCreate(_root, StoreFixtures.Schema(FactorDType.Int8)));
    }

    [Fact]
    public void Bad_examples_are_refused_naming_the_layer_and_dims_and_nothing_is_written()
    {
        using var store = GradientStore.OpenOrCreate(_root, StoreFixtures.Schema());
        var good = StoreFixtures.Example("g", 1);
        var wrongDims = Assert.Throws<StoreException>(() => store.Add(good with { ExampleGradients = [new float[31], good.ExampleGradients[1]] }));
        Assert.Contains("example 'g', layer model.layers.0.mlp.up_proj: example gradient has 31 values, expected 4 x 8 = 32", wrongDims.Message, StringComparison.Ordinal);
        var nan = good.ExampleGradients[1].ToArray();
        nan[7] = float.NaN;
        var nonFinite = Assert.Throws<StoreException>(() => store.Add(good with { ExampleGradients = [good.ExampleGradients[0], nan] }));
        Assert.Contains("non-finite value (NaN) at row 1, column 3", nonFinite.Message, StringComparison.Ordinal);
        Assert.Contains("has none", Assert.Throws<StoreException>(() => store.Add(good with { TokenInputs = null })).Message, StringComparison.Ordinal);
        Assert.Contains("its loss is NaN", Assert.Throws<StoreException>(() => store.Add(good with { Loss = float.NaN })).Message, StringComparison.Ordinal);
        var losses = new float[good.TokenIds.Length];
        losses[^1] = float.PositiveInfinity;
        Assert.Contains($"the loss of token {losses.Length - 1} is Infinity", Assert.Throws<StoreException>(() => store.Add(good with { TokenLosses = losses })).Message, StringComparison.Ordinal);
        Assert.Equal(0, store.PendingCount);
    }

    [Fact]
    public void A_store_in_use_cannot_be_opened_twice()
    {
        using var store = GradientStore.OpenOrCreate(_root, StoreFixtures.Schema());
        Assert.Contains("in use", Assert.Throws<StoreException>(() => GradientStore.Open(_root)).Message, StringComparison.Ordinal);
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Max(Math.Abs);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale + 1e-12, $"[{i}] {expected[i]} vs {actual[i]}");
    }
}
