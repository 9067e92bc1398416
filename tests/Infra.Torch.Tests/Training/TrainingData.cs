using Infra.Torch.Model;
using Infra.Torch.Training;

namespace Infra.Torch.Tests.Training;

/// <summary>Synthetic SFT examples and parameter snapshots for the trainer tests.</summary>
internal static class TrainingData
{
    /// <summary>A seeded sequence of <paramref name="length"/> ids whose last <paramref name="responseTokens"/> carry loss.</summary>
    public static SftExample Example(string id, int length, int responseTokens, int vocab, int seed, float weight = 1f)
    {
        var e = TestModels.Example(id, length, responseTokens, vocab, seed);
        return new SftExample(id, e.Ids, e.LossMask, weight);
    }

    /// <summary><paramref name="count"/> examples of varied lengths (so batches are padded).</summary>
    public static List<SftExample> Set(int count, int vocab, int seed) =>
        [.. Enumerable.Range(0, count).Select(i => Example($"ex{i}", 8 + (i * 5 % 9), 4 + i % 3, vocab, seed + i))];

    /// <summary>Every parameter's values by name.</summary>
    public static Dictionary<string, float[]> Snapshot(Qwen2ForCausalLM model) =>
        model.named_parameters().ToDictionary(p => p.name, p => TestModels.ToArray(p.parameter));

    /// <summary>Largest absolute difference over all parameters.</summary>
    public static double MaxDifference(Dictionary<string, float[]> a, Dictionary<string, float[]> b)
    {
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        double max = 0;
        foreach (var (name, values) in a)
            for (var i = 0; i < values.Length; i++)
                max = Math.Max(max, Math.Abs(values[i] - b[name][i]));
        return max;
    }

    /// <summary>Asserts bit-identical parameters (every value equal as a float), naming the first difference.</summary>
    public static void AssertIdentical(Dictionary<string, float[]> expected, Dictionary<string, float[]> actual)
    {
        foreach (var (name, values) in expected)
        {
            var other = actual[name];
            var at = Enumerable.Range(0, values.Length).FirstOrDefault(i => values[i] != other[i], -1);
            Assert.True(at < 0, $"{name}[{at}]: {(at < 0 ? 0 : values[at])} vs {(at < 0 ? 0 : other[at])}");
        }
    }

    /// <summary>Collects progress reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    public sealed class Recorder : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = [];

        public void Report(TrainingProgress value) => Reports.Add(value);
    }
}
