using Infra.Core.Compression;
using Infra.Core.Store;

namespace Infra.Core.Tests.Store;

/// <summary>Seeded examples and schemas for store tests.</summary>
internal static class StoreFixtures
{
    public static readonly StoreLayer[] Layers =
    [
        new("model.layers.0.mlp.up_proj", 32, 64, 8, 4),
        new("model.layers.0.mlp.down_proj", 64, 32, 4, 6),
    ];

    public static StoreSchema Schema(FactorDType dtype = FactorDType.BFloat16, bool tokenFactors = true, string fingerprint = "f00dfeed0000aaaa") => new()
    {
        ModelFingerprint = fingerprint,
        Layers = Layers,
        ProjectionSeed = 3,
        DType = dtype,
        TokenFactors = tokenFactors,
    };

    public static StoreExample Example(string id, int seed, bool tokenFactors = true, string domain = "math", int difficulty = 2)
    {
        var random = new Random(seed);
        var tokens = 3 + random.Next(10);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var text = string.Concat(Enumerable.Range(0, tokens).Select(i => (char)('a' + i % 26)));
        return new StoreExample
        {
            Id = id,
            Domain = domain,
            Difficulty = difficulty,
            TokenIds = Enumerable.Range(0, tokens).Select(_ => random.Next(1000)).ToArray(),
            LossMask = Enumerable.Range(0, tokens).Select(i => (byte)(i >= tokens / 2 ? 1 : 0)).ToArray(),
            TokenLosses = Values(tokens),
            Loss = 1.5f,
            Text = text,
            CharStarts = Enumerable.Range(0, tokens).ToArray(),
            CharLengths = Enumerable.Repeat(1, tokens).ToArray(),
            ExampleGradients = Layers.Select(l => Values(l.GradientLength)).ToArray(),
            TokenInputs = tokenFactors ? Layers.Select(l => Values(tokens * l.KIn)).ToArray() : null,
            TokenOutputGradients = tokenFactors ? Layers.Select(l => Values(tokens * l.KOut)).ToArray() : null,
        };
    }

    /// <summary>An example whose gradients are consistent with its token factors: <c>Ĝ = sum_t ĝ_t â_tᵀ</c>.</summary>
    public static StoreExample ConsistentExample(string id, int seed, string domain = "math", int difficulty = 2)
    {
        var e = Example(id, seed, tokenFactors: true, domain, difficulty);
        var t = e.TokenIds.Length;
        var gradients = Layers.Select((layer, l) =>
        {
            var g = new float[layer.GradientLength];
            for (var token = 0; token < t; token++)
                for (var i = 0; i < layer.KOut; i++)
                    for (var j = 0; j < layer.KIn; j++)
                        g[i * layer.KIn + j] += e.TokenOutputGradients![l][token * layer.KOut + i] * e.TokenInputs![l][token * layer.KIn + j];
            return g;
        }).ToArray();
        return e with { ExampleGradients = gradients };
    }

    public static string TempFolder() => Directory.CreateTempSubdirectory("infra-store-").FullName;
}
