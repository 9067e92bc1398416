using Infra.Core.Checkpoints;
using Infra.Torch.Gradients;
using Infra.Torch.Model;

namespace Infra.Validation.Tests;

/// <summary>Seeded tiny byte-level Qwen2 models and token sequences.</summary>
internal static class TinyModels
{
    public static HfModelConfig Config => TinyModelConfigs.Qwen2Hidden16;

    public static Qwen2ForCausalLM Create(int seed) => SeededCheckpoint.Create(Config, seed);

    /// <summary>Random byte sequences with the loss on their second half.</summary>
    public static List<TokenizedExample> Sequences(string prefix, int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var length = rng.Next(8, 16);
            return new TokenizedExample($"{prefix}-{i}", Enumerable.Range(0, length).Select(_ => rng.Next(0, 256)).ToArray(),
                Enumerable.Range(0, length).Select(t => (byte)(t >= length / 2 ? 1 : 0)).ToArray());
        }).ToList();
    }
}
