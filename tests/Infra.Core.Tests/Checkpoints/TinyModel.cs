using Infra.Core.Checkpoints;

namespace Infra.Core.Tests.Checkpoints;

/// <summary>A two-layer Qwen2 small enough to write in milliseconds, with seeded random weights.</summary>
internal static class TinyModel
{
    public static HfModelConfig Config(string modelType = "qwen2", bool tie = false) => HfModelConfig.Parse($$"""
        {
          "model_type": "{{modelType}}",
          "hidden_size": 32,
          "intermediate_size": 64,
          "num_hidden_layers": 2,
          "num_attention_heads": 4,
          "num_key_value_heads": 2,
          "vocab_size": 50,
          "tie_word_embeddings": {{(tie ? "true" : "false")}}
        }
        """);

    public static List<(string Name, long[] Shape, float[] Data)> Tensors(HfModelConfig config, int seed = 7)
    {
        var random = new Random(seed);
        var result = new List<(string, long[], float[])>();
        foreach (var (name, shape) in Qwen2TensorLayout.ExpectedTensors(config))
        {
            var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
            for (var i = 0; i < data.Length; i++)
                data[i] = (float)(random.NextDouble() * 2 - 1);
            result.Add((name, shape, data));
        }
        return result;
    }
}
