using Infra.Core.Checkpoints;

namespace Infra.Core.Tests.Checkpoints;

public class Qwen2TensorLayoutTests
{
    [Fact]
    public void Qwen2_layout_has_hf_names_and_grouped_query_shapes()
    {
        var config = TinyModel.Config(); // hidden 32, 4 heads of 8, 2 kv heads, intermediate 64, vocab 50
        var expected = Qwen2TensorLayout.ExpectedTensors(config);

        Assert.Equal(1 + (2 * 12) + 1 + 1, expected.Count);
        Assert.Equal([50L, 32L], expected["model.embed_tokens.weight"]);
        Assert.Equal([32L], expected["model.layers.1.input_layernorm.weight"]);
        Assert.Equal([32L, 32L], expected["model.layers.0.self_attn.q_proj.weight"]);
        Assert.Equal([32L], expected["model.layers.0.self_attn.q_proj.bias"]);
        Assert.Equal([16L, 32L], expected["model.layers.0.self_attn.k_proj.weight"]);
        Assert.Equal([16L], expected["model.layers.0.self_attn.k_proj.bias"]);
        Assert.Equal([16L, 32L], expected["model.layers.1.self_attn.v_proj.weight"]);
        Assert.Equal([16L], expected["model.layers.1.self_attn.v_proj.bias"]);
        Assert.Equal([32L, 32L], expected["model.layers.0.self_attn.o_proj.weight"]);
        Assert.False(expected.ContainsKey("model.layers.0.self_attn.o_proj.bias"));
        Assert.Equal([32L], expected["model.layers.0.post_attention_layernorm.weight"]);
        Assert.Equal([64L, 32L], expected["model.layers.0.mlp.gate_proj.weight"]);
        Assert.Equal([64L, 32L], expected["model.layers.0.mlp.up_proj.weight"]);
        Assert.Equal([32L, 64L], expected["model.layers.0.mlp.down_proj.weight"]);
        Assert.Equal([32L], expected["model.norm.weight"]);
        Assert.Equal([50L, 32L], expected["lm_head.weight"]);
    }

    [Fact]
    public void Llama_without_attention_bias_and_tied_embeddings_drops_biases_and_lm_head()
    {
        var expected = Qwen2TensorLayout.ExpectedTensors(TinyModel.Config("llama", tie: true));
        Assert.Equal(1 + (2 * 9) + 1, expected.Count);
        Assert.DoesNotContain(expected.Keys, n => n.EndsWith(".bias", StringComparison.Ordinal));
        Assert.False(expected.ContainsKey(Qwen2TensorLayout.LmHead));
    }

    private static void WriteFolder(TempFolder dir, HfModelConfig config, IEnumerable<SafetensorsTensor> tensors)
    {
        File.WriteAllText(dir.File("config.json"), config.ToJson());
        SafetensorsWriter.Write(dir.File(CheckpointFileNames.SingleWeights), tensors);
    }

    private static IEnumerable<SafetensorsTensor> Encode(IEnumerable<(string Name, long[] Shape, float[] Data)> tensors) =>
        tensors.Select(t => SafetensorsTensor.FromFloat32(t.Name, t.Shape, t.Data));

    [Fact]
    public void Validate_lists_every_problem_in_one_exception()
    {
        using var dir = new TempFolder();
        var config = TinyModel.Config();
        var tensors = TinyModel.Tensors(config)
            .Where(t => t.Name is not ("model.norm.weight" or "model.layers.1.self_attn.k_proj.bias"))
            .Select(t => t.Name == "model.layers.0.mlp.up_proj.weight" ? (t.Name, new long[] { 32, 64 }, t.Data) : t)
            .ToList();
        var encoded = Encode(tensors.Where(t => t.Name != "model.layers.0.input_layernorm.weight")).ToList();
        encoded.Add(new SafetensorsTensor("model.layers.0.input_layernorm.weight", TensorDType.I32, [32], new byte[128]));
        encoded.Add(SafetensorsTensor.FromFloat32("model.layers.0.extra.weight", [2], [1, 2]));
        WriteFolder(dir, config, encoded);

        using var checkpoint = CheckpointFolder.Open(dir.Path);
        var ex = Assert.Throws<CheckpointException>(() => Qwen2TensorLayout.Validate(checkpoint));
        Assert.Contains(dir.Path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("(4 problem(s))", ex.Message, StringComparison.Ordinal);
        Assert.Contains("missing tensors: model.layers.1.self_attn.k_proj.bias, model.norm.weight", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected tensors: model.layers.0.extra.weight", ex.Message, StringComparison.Ordinal);
        Assert.Contains("model.layers.0.mlp.up_proj.weight: expected [64, 32], found [32, 64]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("model.layers.0.input_layernorm.weight: dtype I32 is not F32, F16 or BF16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_accepts_inv_freq_buffers_and_a_tied_lm_head_copy()
    {
        using var dir = new TempFolder();
        var config = TinyModel.Config(tie: true);
        var encoded = Encode(TinyModel.Tensors(config)).ToList();
        encoded.Add(SafetensorsTensor.FromFloat32("model.layers.0.self_attn.rotary_emb.inv_freq", [4], [1, 0.1f, 0.01f, 0.001f]));
        encoded.Add(SafetensorsTensor.FromFloat32(Qwen2TensorLayout.LmHead, [50, 32], new float[50 * 32]));
        WriteFolder(dir, config, encoded);

        using var checkpoint = CheckpointFolder.Open(dir.Path);
        Qwen2TensorLayout.Validate(checkpoint);
        Assert.Contains(Qwen2TensorLayout.LmHead, checkpoint.TensorNames);
    }

    [Fact]
    public void Validate_rejects_a_tied_lm_head_copy_of_the_wrong_shape()
    {
        using var dir = new TempFolder();
        var config = TinyModel.Config(tie: true);
        var encoded = Encode(TinyModel.Tensors(config)).ToList();
        encoded.Add(SafetensorsTensor.FromFloat32(Qwen2TensorLayout.LmHead, [32, 50], new float[50 * 32]));
        WriteFolder(dir, config, encoded);

        using var checkpoint = CheckpointFolder.Open(dir.Path);
        var ex = Assert.Throws<CheckpointException>(() => Qwen2TensorLayout.Validate(checkpoint));
        Assert.Contains("lm_head.weight: expected [50, 32], found [32, 50]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_reports_the_whole_untied_lm_head_missing()
    {
        using var dir = new TempFolder();
        var config = TinyModel.Config();
        WriteFolder(dir, config, Encode(TinyModel.Tensors(config).Where(t => t.Name != Qwen2TensorLayout.LmHead)));

        using var checkpoint = CheckpointFolder.Open(dir.Path);
        var ex = Assert.Throws<CheckpointException>(() => Qwen2TensorLayout.Validate(checkpoint));
        Assert.Contains("missing tensors: lm_head.weight", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(1 problem(s))", ex.Message, StringComparison.Ordinal);
    }
}
