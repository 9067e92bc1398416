using Infra.Core.Errors;
using Infra.Core.Compression;
using Infra.Core.Preconditioning;
using Infra.Core.Scoring;
using Infra.Core.Store;
using Infra.Core.Tests.Store;

namespace Infra.Core.Tests.Scoring;

public sealed class ScorerTests : IDisposable
{
    private readonly string _root = StoreFixtures.TempFolder();
    private readonly List<StoreExample> _examples = Enumerable.Range(0, 40)
        .Select(i => StoreFixtures.ConsistentExample($"e{i}", 300 + i, i % 3 == 0 ? "code" : "math", 1 + i % 5)).ToList();
    private readonly IReadOnlyList<float[]>[] _queries = [StoreFixtures.Example("q0", 1).ExampleGradients, StoreFixtures.Example("q1", 2).ExampleGradients];

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private GradientStore Build(FactorDType dtype, string name)
    {
        var store = GradientStore.OpenOrCreate(Path.Combine(_root, name), StoreFixtures.Schema(dtype), new GradientStoreOptions { ShardExamples = 7 });
        foreach (var e in _examples) store.Add(e);
        store.Flush();
        return store;
    }

    [Theory]
    [InlineData(FactorDType.Float32)]
    [InlineData(FactorDType.BFloat16)]
    [InlineData(FactorDType.Int8)]
    public void Layers_scored_side_by_side_sum_to_the_layer_after_layer_scores_bit_for_bit(FactorDType dtype)
    {
        // Small shards of several layers: the scan scores their layers in parallel, then adds them in layer order.
        using var store = Build(dtype, $"sides-{dtype}");
        Assert.True(store.Schema.Layers.Count > 1);
        var all = new List<ShardScores>();
        new ExampleScorer(store).Score(_queries, ["q0", "q1"], 0, ScoreFilter.All, dump: all.Add);
        var packed = store.Schema.Layers.Select((layer, l) => _queries.SelectMany(q => q[l]).ToArray()).ToArray();
        foreach (var shard in all)
        {
            var expected = new double[shard.Shard.Count * 2];
            for (var l = 0; l < store.Schema.Layers.Count; l++)
            {
                LayerScores.Add(shard.Shard.ExampleGradientBytes(l), dtype, shard.Shard.Scales(ShardTensorNames.ExampleGradients(l)),
                    shard.Shard.Count, store.Schema.Layers[l].GradientLength, packed[l], 2, expected);
            }
            Assert.Equal(expected, shard.Raw);
        }
    }

    [Fact]
    public void Raw_scores_top_k_and_filters_equal_a_direct_computation()
    {
        using var store = Build(FactorDType.Float32, "fp32");
        var all = new List<ShardScores>();
        var results = new ExampleScorer(store).Score(_queries, ["q0", "q1"], 5, ScoreFilter.All, dump: all.Add);
        for (var q = 0; q < 2; q++)
        {
            var expected = _examples.Select(e => (e.Id, Score: Direct(_queries[q], e.ExampleGradients))).ToList();
            var best = expected.OrderByDescending(x => x.Score).Take(5).ToList();
            var worst = expected.OrderBy(x => x.Score).Take(5).ToList();
            Assert.Equal(best.Select(x => x.Id), results[q].Top.Select(x => x.Id));
            Assert.Equal(worst.Select(x => x.Id), results[q].Bottom.Select(x => x.Id));
            for (var i = 0; i < 5; i++) Assert.Equal(best[i].Score, results[q].Top[i].Score, 4);
            Assert.Equal(40, results[q].Scored);
        }
        var dumped = all.SelectMany(s => Enumerable.Range(0, s.Shard.Count).Select(r => (s.Shard.Metadata.Ids[r], s.Raw[r * 2 + 1]))).ToList();
        Assert.Equal(40, dumped.Count);
        foreach (var (id, score) in dumped) Assert.Equal(Direct(_queries[1], _examples.Single(e => e.Id == id).ExampleGradients), score, 4);

        var code = new ExampleScorer(store).Score(_queries, ["q0", "q1"], 100, new ScoreFilter(new HashSet<string> { "code" }, 2, 4));
        var expectedIds = _examples.Where(e => e.Domain == "code" && e.Difficulty is >= 2 and <= 4).Select(e => e.Id).Order().ToList();
        Assert.Equal(expectedIds, code[0].Top.Select(x => x.Id).Order());
        Assert.Equal(expectedIds.Count, code[0].Scored);
    }

    [Fact]
    public void Normalised_scores_are_cosines_in_the_preconditioned_metric()
    {
        using var store = Build(FactorDType.Float32, "norm");
        var fitted = PreconditionerFitter.Fit(store, "d", PreconditionerKind.Diagonal);
        var q = _queries.Select(fitted.Precondition).ToList();
        var querySelf = _queries.Select((raw, i) => FittedPreconditioner.QuerySelfInfluence(raw, q[i])).ToArray();
        var results = new ExampleScorer(store).Score(q, ["q0", "q1"], 40, ScoreFilter.All, (fitted.SelfInfluence, querySelf), rankByNormalized: true);
        foreach (var s in results[0].Top)
        {
            var index = _examples.FindIndex(e => e.Id == s.Id);
            Assert.Equal(s.Score / Math.Sqrt(fitted.SelfInfluence[index] * querySelf[0]), s.Normalized!.Value, 9);
            Assert.InRange(s.Normalized!.Value, -1.0000001, 1.0000001);
        }
        Assert.True(results[0].Top.Zip(results[0].Top.Skip(1)).All(p => p.First.Normalized >= p.Second.Normalized));
    }

    [Theory]
    [InlineData(FactorDType.BFloat16, 0.999)]
    [InlineData(FactorDType.Float16, 0.999)]
    [InlineData(FactorDType.Int8, 0.99)]
    public void Quantised_stores_rank_like_fp32(FactorDType dtype, double minimumSpearman)
    {
        using var exact = Build(FactorDType.Float32, "exact");
        using var quantised = Build(dtype, dtype.ToString());
        double[] All(GradientStore s)
        {
            var list = new List<(string, double)>();
            new ExampleScorer(s).Score(_queries, ["q0", "q1"], 0, ScoreFilter.All,
                dump: d => list.AddRange(Enumerable.Range(0, d.Shard.Count).Select(r => (d.Shard.Metadata.Ids[r], d.Raw[r * 2]))));
            return list.OrderBy(x => x.Item1, StringComparer.Ordinal).Select(x => x.Item2).ToArray();
        }
        Assert.True(Spearman(All(exact), All(quantised)) >= minimumSpearman);
    }

    [Fact]
    public void Token_scores_sum_to_the_example_score()
    {
        using var store = Build(FactorDType.Float32, "tokens");
        var scorer = new TokenScorer(store);
        foreach (var e in _examples.Take(10))
        {
            var (scores, tokens) = scorer.Score(e.Id, _queries);
            Assert.Equal(e.TokenIds, tokens.TokenIds);
            for (var q = 0; q < 2; q++)
            {
                var sum = Enumerable.Range(0, e.TokenIds.Length).Sum(t => (double)scores[t * 2 + q]);
                var example = Direct(_queries[q], e.ExampleGradients);
                Assert.True(Math.Abs(sum - example) <= 1e-5 * Math.Max(1, Math.Abs(example)), $"{e.Id}: {sum} vs {example}");
            }
        }
        Assert.Throws<DomainException>(() => scorer.Score("nope", _queries));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(TokenScorer.DefaultBlock)]
    public void Scoring_many_examples_in_blocks_equals_scoring_each_in_the_order_asked(int block)
    {
        using var store = Build(FactorDType.Float32, "tokens-many");
        Assert.True(store.Shards.Count > 1, "the examples must span shards");
        var scorer = new TokenScorer(store);
        // Out of store order, across shards, with a repeat.
        var ids = _examples.Select(e => e.Id).Reverse().Where((_, i) => i % 2 == 0).Append(_examples[0].Id).Append(_examples[0].Id).ToList();
        var many = scorer.ScoreMany(ids, _queries, block).ToList();
        Assert.Equal(ids, many.Select(s => s.ExampleId));
        foreach (var scored in many)
        {
            var (scores, tokens) = scorer.Score(scored.ExampleId, _queries);
            Assert.Equal(scores, scored.Scores);
            Assert.Equal(tokens.TokenIds, scored.Tokens.TokenIds);
            Assert.Equal(tokens.Text, scored.Tokens.Text);
            for (var q = 0; q < 2; q++)
                Assert.Equal(Enumerable.Range(0, tokens.TokenIds.Length).Sum(t => (double)scores[t * 2 + q]), scored.ExampleScores[q]);
        }
        Assert.Throws<DomainException>(() => scorer.ScoreMany(["nope"], _queries).ToList());
    }

    private static double Direct(IReadOnlyList<float[]> q, IReadOnlyList<float[]> g) =>
        q.Select((layer, l) => layer.Select((v, i) => (double)v * g[l][i]).Sum()).Sum();

    internal static double Spearman(double[] a, double[] b)
    {
        double[] Ranks(double[] x)
        {
            var order = Enumerable.Range(0, x.Length).OrderBy(i => x[i]).ToArray();
            var r = new double[x.Length];
            for (var i = 0; i < order.Length; i++) r[order[i]] = i;
            return r;
        }
        var (ra, rb) = (Ranks(a), Ranks(b));
        var n = a.Length;
        var d2 = ra.Zip(rb, (x, y) => (x - y) * (x - y)).Sum();
        return 1 - 6 * d2 / (n * ((double)n * n - 1));
    }
}
