using Infra.Core.Checkpoints;

namespace Infra.Torch.Tests.Reference;

/// <summary>Reproducible random weights for every HF tensor of a configuration, shared by the tests.</summary>
public static class SeededWeights
{
    /// <summary>
    /// Every tensor in <see cref="Qwen2Parameters.Shapes"/>: matrices and biases drawn from
    /// <c>normal(0, std)</c> (defaults to 0.02, HF's <c>initializer_range</c>), norm weights uniform in
    /// <c>[0.9, 1.1]</c> so that a dropped norm weight would show. Same seed, same weights, on any machine.
    /// </summary>
    public static Dictionary<string, float[]> Create(HfModelConfig config, int seed, double std = 0.02)
    {
        ArgumentNullException.ThrowIfNull(config);
        // System.Random with a seed is a fixed algorithm across runtimes, which is all a test fixture needs.
#pragma warning disable CA5394 // Not security-relevant: reproducible test weights.
        var random = new Random(seed);
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, shape) in Qwen2Parameters.Shapes(config))
        {
            var values = new float[shape.Aggregate(1, (a, b) => a * b)];
            var isNorm = name.EndsWith("norm.weight", StringComparison.Ordinal);
            for (var i = 0; i < values.Length; i++)
                values[i] = isNorm ? (float)(0.9 + (0.2 * random.NextDouble())) : (float)(std * Gaussian(random));
            result[name] = values;
        }
#pragma warning restore CA5394
        return result;
    }

    /// <summary>One standard normal draw by Box-Muller (one of the pair is discarded for simplicity).</summary>
    private static double Gaussian(Random random)
    {
#pragma warning disable CA5394 // Not security-relevant: reproducible test weights.
        // 1 - NextDouble() lies in (0, 1], so the logarithm is finite.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
#pragma warning restore CA5394
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
