using Infra.Core.Checkpoints;
using Infra.Torch.Generation;
using Infra.Torch.Model;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Generation;

/// <summary>Cached decoding against recomputing the whole sequence at every step.</summary>
public sealed class GreedyDecoderTests
{
    private static readonly int[] Prompt = [3, 17, 42, 5, 60, 11, 29];

    // Tied embeddings make a random model repeat its input token, so only the untied one is asked for variety.
    public static TheoryData<string, int, int> Configs => new() { { "qwen2", 5, 4 }, { "llama-tied", 6, 1 } };

    private static HfModelConfig Config(string name) => name == "qwen2" ? TestModels.Qwen2Tiny : TestModels.LlamaTiedTiny;

    [Theory]
    [MemberData(nameof(Configs))]
    public void Cached_decoding_gives_the_tokens_and_logits_of_full_recomputation(string configName, int seed, int minDistinct)
    {
        using var model = TestModels.Create(Config(configName), seed);
        var cachedLogits = new List<float[]>();
        var cached = GreedyDecoder.Generate(model, Prompt, 20, new HashSet<int>(), cachedLogits);

        var (expected, expectedLogits) = FullRecompute(model, Prompt, 20);
        Assert.Equal(expected, cached);
        Assert.Equal(20, cachedLogits.Count);
        for (var step = 0; step < expected.Length; step++)
            Assert.True(TestModels.RelativeError(cachedLogits[step], expectedLogits[step]) < 1e-4, $"step {step}");
        // A seeded random model that repeats one token would make the comparison weak.
        Assert.True(cached.Distinct().Count() >= minDistinct, string.Join(",", cached));
    }

    [Fact]
    public void Feeding_several_tokens_after_a_cached_prefix_matches_the_full_forward()
    {
        // Exercises the offset causal mask: T > 1 new queries after cached positions.
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 6);
        long[] ids = [4, 8, 15, 16, 23, 42, 7, 9, 1, 2];
        using var scope = NewDisposeScope();
        var full = TestModels.ToArray(model.call(tensor(ids, [1, ids.Length])));
        using var cache = KvCache.For(model, 1, ids.Length);
        var pieces = new List<float>();
        foreach (var (start, length) in new[] { (0, 3), (3, 4), (7, 1), (8, 2) })
            pieces.AddRange(TestModels.ToArray(model.ForwardCached(tensor(ids[start..(start + length)], [1, length]), cache)));
        Assert.Equal(ids.Length, cache.Length);
        Assert.True(TestModels.RelativeError([.. pieces], full) < 1e-5);
    }

    [Fact]
    public void Generation_stops_after_the_first_stop_id_and_includes_it()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 5);
        var free = GreedyDecoder.Generate(model, Prompt, 20, new HashSet<int>());
        var stop = free[4];
        var firstAt = Array.IndexOf(free, stop);

        var stopped = GreedyDecoder.Generate(model, Prompt, 20, new HashSet<int> { stop, 1000 });

        Assert.Equal(free[..(firstAt + 1)], stopped);
        Assert.Equal(stop, stopped[^1]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(13)]
    public void Generation_respects_max_new_tokens(int maxNewTokens)
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 5);
        var generated = GreedyDecoder.Generate(model, Prompt, maxNewTokens, new HashSet<int>());
        Assert.Equal(maxNewTokens, generated.Length);
    }

    [Fact]
    public void Cancellation_stops_decoding_before_the_next_token()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 5);
        using var cancel = new CancellationTokenSource();
        // The token is cancelled while the third step is recorded: no fourth forward pass may start.
        var steps = new CancelAfter(3, cancel);
        Assert.Throws<OperationCanceledException>(() => GreedyDecoder.Generate(model, Prompt, 50, new HashSet<int>(), steps, cancel.Token));
        Assert.Equal(3, steps.Count);
    }

    /// <summary>Step logits that cancel a token when the <c>n</c>-th step arrives.</summary>
    private sealed class CancelAfter(int n, CancellationTokenSource cancel) : List<float[]>, IList<float[]>
    {
        void ICollection<float[]>.Add(float[] item)
        {
            Add(item);
            if (Count == n) cancel.Cancel();
        }
    }

    [Fact]
    public void A_cache_refuses_positions_beyond_its_capacity()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 5);
        using var cache = KvCache.For(model, 1, 4);
        using var scope = NewDisposeScope();
        model.ForwardCached(tensor(new long[] { 1, 2, 3 }, [1, 3]), cache);
        var error = Assert.Throws<InvalidOperationException>(() => model.ForwardCached(tensor(new long[] { 4, 5 }, [1, 2]), cache));
        Assert.Contains("capacity of 4", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, cache.Length);
    }

    [Fact]
    public void Prompts_that_are_empty_or_outside_the_vocabulary_are_refused()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 5);
        Assert.Throws<ArgumentException>(() => GreedyDecoder.Generate(model, [], 3, new HashSet<int>()));
        var error = Assert.Throws<ArgumentException>(() => GreedyDecoder.Generate(model, [1, 61], 3, new HashSet<int>()));
        Assert.Contains("61", error.Message, StringComparison.Ordinal);
    }

    // The reference: no cache, the whole sequence through forward() at every step.
    private static (int[] Ids, List<float[]> Logits) FullRecompute(Qwen2ForCausalLM model, int[] prompt, int steps)
    {
        using var noGrad = no_grad();
        var sequence = prompt.Select(id => (long)id).ToList();
        var logits = new List<float[]>();
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var last = model.call(tensor(sequence.ToArray(), [1, sequence.Count]))[0, -1];
            logits.Add(TestModels.ToArray(last));
            sequence.Add(last.argmax().item<long>());
        }
        return ([.. sequence.Skip(prompt.Length).Select(id => (int)id)], logits);
    }
}
