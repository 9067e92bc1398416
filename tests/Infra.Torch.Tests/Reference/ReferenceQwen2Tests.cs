using Infra.Core.Checkpoints;

namespace Infra.Torch.Tests.Reference;

/// <summary>
/// Checks that make the reference decoder trustworthy on its own: each test pins one piece of HF
/// Qwen2 semantics by a property or a hand-written formula that shares no code with the reference.
/// </summary>
public sealed class ReferenceQwen2Tests
{
    // Larger than HF's 0.02 so that attention scores are far from uniform and a wrong detail shows.
    private const double SignalStd = 0.3;

    private static readonly int[] Tokens = [3, 17, 42, 0, 49, 17, 8, 25];

    private static ReferenceQwen2 Build(HfModelConfig config, Dictionary<string, float[]> weights) =>
        new(config, name => weights[name]);

    [Fact]
    public void Zero_attention_output_leaves_embeddings_mlp_and_norms_matching_a_hand_formula()
    {
        var config = TinyConfigs.Qwen2;
        var w = SeededWeights.Create(config, seed: 1, SignalStd);
        // q and k stay random: with v and o zero, attention must still add exactly nothing.
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            foreach (var name in new[] { "v_proj.weight", "v_proj.bias", "o_proj.weight" })
                Array.Clear(w[$"model.layers.{i}.self_attn.{name}"]);
        }

        var logits = Build(config, w).Logits(Tokens);

        for (var t = 0; t < Tokens.Length; t++)
        {
            var expected = HandMlpOnlyLogits(config, w, Tokens[t]);
            for (var v = 0; v < config.VocabSize; v++)
                Assert.Equal(expected[v], logits[t, v], 1e-12);
        }
    }

    /// <summary>
    /// One position of a decoder whose attention adds nothing, written out longhand:
    /// <c>x += W_down (silu(W_gate n) * (W_up n))</c> with <c>n = w * x / rms(x)</c> per layer, final norm, head.
    /// </summary>
    private static double[] HandMlpOnlyLogits(HfModelConfig c, Dictionary<string, float[]> w, int token)
    {
        int hidden = c.HiddenSize, inter = c.IntermediateSize;
        var x = new double[hidden];
        for (var i = 0; i < hidden; i++)
            x[i] = w["model.embed_tokens.weight"][(token * hidden) + i];

        double[] Norm(double[] v, float[] weight)
        {
            var meanSquare = v.Sum(e => e * e) / v.Length;
            return v.Select((e, i) => weight[i] * e / Math.Sqrt(meanSquare + c.RmsNormEps)).ToArray();
        }

        for (var layer = 0; layer < c.NumHiddenLayers; layer++)
        {
            var p = $"model.layers.{layer}.mlp.";
            var n = Norm(x, w[$"model.layers.{layer}.post_attention_layernorm.weight"]);
            var a = new double[inter];
            for (var j = 0; j < inter; j++)
            {
                double g = 0, u = 0;
                for (var i = 0; i < hidden; i++)
                {
                    g += w[p + "gate_proj.weight"][(j * hidden) + i] * n[i];
                    u += w[p + "up_proj.weight"][(j * hidden) + i] * n[i];
                }
                a[j] = g / (1 + Math.Exp(-g)) * u;
            }
            for (var i = 0; i < hidden; i++)
            {
                for (var j = 0; j < inter; j++)
                    x[i] += w[p + "down_proj.weight"][(i * inter) + j] * a[j];
            }
        }

        var final = Norm(x, w["model.norm.weight"]);
        var head = w[c.TieWordEmbeddings ? "model.embed_tokens.weight" : "lm_head.weight"];
        var logits = new double[c.VocabSize];
        for (var v = 0; v < c.VocabSize; v++)
        {
            for (var i = 0; i < hidden; i++)
                logits[v] += head[(v * hidden) + i] * final[i];
        }
        return logits;
    }

    [Fact]
    public void Two_token_attention_with_zero_mlp_matches_a_hand_formula()
    {
        // One layer and no MLP, so position 1 is: embedding + o_proj(attention over positions 0 and 1).
        var config = TinyConfigs.Qwen2 with { NumHiddenLayers = 1 };
        var w = SeededWeights.Create(config, seed: 12, SignalStd);
        Array.Clear(w["model.layers.0.mlp.down_proj.weight"]);
        int[] tokens = [11, 29];

        var logits = Build(config, w).Logits(tokens);

        var expected = HandTwoTokenLogits(config, w, tokens);
        for (var v = 0; v < config.VocabSize; v++)
            Assert.Equal(expected[v], logits[1, v], 1e-12);
    }

    /// <summary>
    /// Position 1 of a one-layer decoder without MLP, longhand: each query head h reads kv head
    /// <c>h / (heads / kv_heads)</c>; RoPE rotates pairs <c>(j, j + D/2)</c> by <c>pos / theta^(2j/D)</c>
    /// (position 0 is not rotated); two-key softmax of <c>q.k / sqrt(D)</c>.
    /// </summary>
    private static double[] HandTwoTokenLogits(HfModelConfig c, Dictionary<string, float[]> w, int[] tokens)
    {
        int hidden = c.HiddenSize, d = c.HeadDim, half = d / 2, group = c.NumAttentionHeads / c.NumKeyValueHeads;
        const string p = "model.layers.0.self_attn.";
        double[] Embedding(int token) => Enumerable.Range(0, hidden).Select(i => (double)w["model.embed_tokens.weight"][(token * hidden) + i]).ToArray();
        double[] Norm(double[] v, float[] weight)
        {
            var rms = Math.Sqrt((v.Sum(e => e * e) / v.Length) + c.RmsNormEps);
            return v.Select((e, i) => weight[i] * e / rms).ToArray();
        }
        // Row r of a projection: sum_i W[r, i] n[i] + b[r].
        double Project(string name, int row, double[] n) =>
            Enumerable.Range(0, hidden).Sum(i => w[p + name + ".weight"][(row * hidden) + i] * n[i]) + w[p + name + ".bias"][row];
        double[] Head(string name, int head, double[] n, int position)
        {
            var raw = Enumerable.Range(0, d).Select(j => Project(name, (head * d) + j, n)).ToArray();
            var rotated = new double[d];
            for (var j = 0; j < half; j++)
            {
                var angle = position / Math.Pow(c.RopeTheta, 2.0 * j / d);
                rotated[j] = (raw[j] * Math.Cos(angle)) - (raw[j + half] * Math.Sin(angle));
                rotated[j + half] = (raw[j + half] * Math.Cos(angle)) + (raw[j] * Math.Sin(angle));
            }
            return rotated;
        }

        var x0 = Embedding(tokens[0]);
        var x1 = Embedding(tokens[1]);
        var n0 = Norm(x0, w["model.layers.0.input_layernorm.weight"]);
        var n1 = Norm(x1, w["model.layers.0.input_layernorm.weight"]);
        var context = new double[c.NumAttentionHeads * d];
        for (var h = 0; h < c.NumAttentionHeads; h++)
        {
            var kv = h / group;
            var q = Head("q_proj", h, n1, 1);
            var k0 = Head("k_proj", kv, n0, 0);
            var k1 = Head("k_proj", kv, n1, 1);
            var s0 = q.Zip(k0, (a, b) => a * b).Sum() / Math.Sqrt(d);
            var s1 = q.Zip(k1, (a, b) => a * b).Sum() / Math.Sqrt(d);
            var p0 = 1 / (1 + Math.Exp(s1 - s0));
            for (var j = 0; j < d; j++)
                context[(h * d) + j] = (p0 * Project("v_proj", (kv * d) + j, n0)) + ((1 - p0) * Project("v_proj", (kv * d) + j, n1));
        }
        var h1 = x1.Select((e, i) => e + context.Select((a, j) => w[p + "o_proj.weight"][(i * context.Length) + j] * a).Sum()).ToArray();

        var final = Norm(h1, w["model.norm.weight"]);
        return Enumerable.Range(0, c.VocabSize)
            .Select(v => Enumerable.Range(0, hidden).Sum(i => w["lm_head.weight"][(v * hidden) + i] * final[i]))
            .ToArray();
    }

    [Theory]
    [MemberData(nameof(TinyConfigs.Names), MemberType = typeof(TinyConfigs))]
    public void Logits_at_a_position_do_not_depend_on_later_tokens(string configName)
    {
        var config = TinyConfigs.ByName(configName);
        var model = Build(config, SeededWeights.Create(config, seed: 2, SignalStd));
        var baseline = model.Logits(Tokens);

        for (var t = 0; t < Tokens.Length - 1; t++)
        {
            var changed = (int[])Tokens.Clone();
            for (var s = t + 1; s < changed.Length; s++)
                changed[s] = (changed[s] + 7 + s) % config.VocabSize;
            var logits = model.Logits(changed);
            for (var u = 0; u <= t; u++)
            {
                for (var v = 0; v < config.VocabSize; v++)
                    Assert.Equal(baseline[u, v], logits[u, v]);
            }
        }

        // Not vacuous: an earlier token does reach the last position.
        var earlier = (int[])Tokens.Clone();
        earlier[0] = (earlier[0] + 1) % config.VocabSize;
        Assert.True(MaxAbsDifference(baseline, model.Logits(earlier), row: Tokens.Length - 1) > 1e-4);
    }

    [Fact]
    public void Rotary_pairs_dimension_j_with_j_plus_half_at_hf_frequencies()
    {
        const int headDim = 8, position = 5;
        const double theta = 10_000.0;
        double[] x = [0.3, -1.2, 0.7, 2.0, -0.4, 0.9, 1.5, -0.8];

        var y = Rotary.Apply(x, position, theta);

        for (var j = 0; j < headDim / 2; j++)
        {
            var angle = position * Math.Pow(theta, -2.0 * j / headDim);
            Assert.Equal((x[j] * Math.Cos(angle)) - (x[j + 4] * Math.Sin(angle)), y[j], 1e-14);
            Assert.Equal((x[j + 4] * Math.Cos(angle)) + (x[j] * Math.Sin(angle)), y[j + 4], 1e-14);
        }
        Assert.Equal(x, Rotary.Apply(x, 0, theta));
    }

    [Fact]
    public void Rotary_query_key_score_depends_only_on_relative_position()
    {
        double[] q = [0.5, -0.1, 0.8, 0.3, -0.7, 0.2, 0.4, -0.6];
        double[] k = [-0.3, 0.9, 0.1, -0.5, 0.6, 0.4, -0.2, 0.7];
        static double Score(double[] q, double[] k, int m, int n) =>
            Rotary.Apply(q, m, 10_000.0).Zip(Rotary.Apply(k, n, 10_000.0), (a, b) => a * b).Sum();

        foreach (var (m, n) in new[] { (3, 1), (7, 7), (2, 6), (10, 0) })
        {
            foreach (var shift in new[] { 1, 5, 100 })
                Assert.Equal(Score(q, k, m, n), Score(q, k, m + shift, n + shift), 1e-12);
        }
        // Not vacuous: a different relative offset gives a different score.
        Assert.NotEqual(Score(q, k, 3, 1), Score(q, k, 4, 1), 6);
    }

    [Theory]
    [MemberData(nameof(TinyConfigs.Names), MemberType = typeof(TinyConfigs))]
    public void Shifting_every_position_leaves_logits_unchanged_because_only_rope_sees_positions(string configName)
    {
        var config = TinyConfigs.ByName(configName);
        var weights = SeededWeights.Create(config, seed: 3, SignalStd);
        var model = Build(config, weights);
        var atZero = model.Logits(Tokens);

        foreach (var offset in new[] { 1, 13, 1000 })
        {
            var shifted = model.Logits(Tokens, offset);
            for (var t = 0; t < Tokens.Length; t++)
                Assert.True(MaxAbsDifference(atZero, shifted, t) < 1e-10, $"offset {offset}, position {t}");
        }

        // Not vacuous: positions do enter, so a different rotary base changes the logits.
        var otherTheta = Build(config with { RopeTheta = 100.0 }, weights).Logits(Tokens);
        Assert.True(MaxAbsDifference(atZero, otherTheta, row: Tokens.Length - 1) > 1e-4);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Grouped_query_attention_equals_full_attention_with_duplicated_key_value_heads(int kvHeads)
    {
        var grouped = TinyConfigs.Qwen2 with { NumKeyValueHeads = kvHeads };
        var full = grouped with { NumKeyValueHeads = grouped.NumAttentionHeads };
        var groupedWeights = SeededWeights.Create(grouped, seed: 4, SignalStd);
        var fullWeights = new Dictionary<string, float[]>(groupedWeights, StringComparer.Ordinal);
        var group = grouped.NumAttentionHeads / kvHeads;
        for (var i = 0; i < grouped.NumHiddenLayers; i++)
        {
            foreach (var proj in new[] { "k_proj", "v_proj" })
            {
                var p = $"model.layers.{i}.self_attn.{proj}.";
                fullWeights[p + "weight"] = RepeatHeads(groupedWeights[p + "weight"], grouped.HeadDim * grouped.HiddenSize, group);
                fullWeights[p + "bias"] = RepeatHeads(groupedWeights[p + "bias"], grouped.HeadDim, group);
            }
        }

        var expected = Build(full, fullWeights).Logits(Tokens);
        var actual = Build(grouped, groupedWeights).Logits(Tokens);

        for (var t = 0; t < Tokens.Length; t++)
            Assert.True(MaxAbsDifference(expected, actual, t) < 1e-12);
    }

    /// <summary>Repeats each head's block of <paramref name="blockSize"/> values <paramref name="times"/> times, as HF's <c>repeat_kv</c>.</summary>
    private static float[] RepeatHeads(float[] source, int blockSize, int times)
    {
        var heads = source.Length / blockSize;
        var result = new float[source.Length * times];
        for (var h = 0; h < heads * times; h++)
            Array.Copy(source, (h / times) * blockSize, result, h * blockSize, blockSize);
        return result;
    }

    [Fact]
    public void Tied_embeddings_use_embed_tokens_as_the_head_and_never_read_lm_head()
    {
        var tied = TinyConfigs.LlamaTied;
        var weights = SeededWeights.Create(tied, seed: 5, SignalStd);
        Assert.DoesNotContain("lm_head.weight", weights.Keys);
        var requested = new List<string>();
        var tiedModel = new ReferenceQwen2(tied, name =>
        {
            requested.Add(name);
            return weights[name];
        });
        Assert.DoesNotContain("lm_head.weight", requested);

        var untied = tied with { TieWordEmbeddings = false };
        var untiedWeights = new Dictionary<string, float[]>(weights, StringComparer.Ordinal)
        {
            ["lm_head.weight"] = (float[])weights["model.embed_tokens.weight"].Clone(),
        };
        var logits = tiedModel.Logits(Tokens);
        Assert.True(MaxAbsDifference(logits, Build(untied, untiedWeights).Logits(Tokens), row: 3) == 0);

        // An untied model really reads lm_head: a different head gives different logits.
        untiedWeights["lm_head.weight"] = SeededWeights.Create(untied, seed: 6, SignalStd)["lm_head.weight"];
        Assert.True(MaxAbsDifference(logits, Build(untied, untiedWeights).Logits(Tokens), row: 3) > 1e-4);
    }

    [Theory]
    [MemberData(nameof(TinyConfigs.Names), MemberType = typeof(TinyConfigs))]
    public void Token_losses_are_negative_log_softmax_of_the_previous_position(string configName)
    {
        var config = TinyConfigs.ByName(configName);
        var model = Build(config, SeededWeights.Create(config, seed: 7, SignalStd));
        var logits = model.Logits(Tokens);

        var losses = model.TokenLosses(Tokens);

        Assert.Equal(Tokens.Length, losses.Length);
        Assert.Equal(0.0, losses[0]);
        for (var t = 1; t < Tokens.Length; t++)
        {
            var sumExp = 0.0;
            for (var v = 0; v < config.VocabSize; v++)
                sumExp += Math.Exp(logits[t - 1, v]);
            Assert.Equal(-Math.Log(Math.Exp(logits[t - 1, Tokens[t]]) / sumExp), losses[t], 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(TinyConfigs.Names), MemberType = typeof(TinyConfigs))]
    public void Mlp_activations_are_consistent_linear_inputs_and_outputs(string configName)
    {
        var config = TinyConfigs.ByName(configName);
        var weights = SeededWeights.Create(config, seed: 8, SignalStd);
        var activations = Build(config, weights).MlpLinearActivations(Tokens);

        Assert.Equal(3 * config.NumHiddenLayers, activations.Count);
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            var p = $"model.layers.{i}.mlp.";
            var (gateIn, gateOut) = activations[p + "gate_proj"];
            var (upIn, upOut) = activations[p + "up_proj"];
            var (downIn, downOut) = activations[p + "down_proj"];
            AssertLinear(gateIn, gateOut, weights[p + "gate_proj.weight"], config.HiddenSize, config.IntermediateSize);
            AssertLinear(upIn, upOut, weights[p + "up_proj.weight"], config.HiddenSize, config.IntermediateSize);
            AssertLinear(downIn, downOut, weights[p + "down_proj.weight"], config.IntermediateSize, config.HiddenSize);
            Assert.Equal(gateIn, upIn);
            for (var t = 0; t < Tokens.Length; t++)
            {
                for (var j = 0; j < config.IntermediateSize; j++)
                {
                    var g = gateOut[t, j];
                    Assert.Equal(g / (1 + Math.Exp(-g)) * upOut[t, j], downIn[t, j], 1e-14);
                }
            }
        }
    }

    private static void AssertLinear(double[,] inputs, double[,] outputs, float[] weight, int dIn, int dOut)
    {
        Assert.Equal(Tokens.Length, inputs.GetLength(0));
        Assert.Equal(dIn, inputs.GetLength(1));
        Assert.Equal(Tokens.Length, outputs.GetLength(0));
        Assert.Equal(dOut, outputs.GetLength(1));
        for (var t = 0; t < Tokens.Length; t++)
        {
            for (var o = 0; o < dOut; o++)
            {
                var y = 0.0;
                for (var i = 0; i < dIn; i++)
                    y += weight[(o * dIn) + i] * inputs[t, i];
                Assert.Equal(y, outputs[t, o], 1e-12);
            }
        }
    }

    [Fact]
    public void Constructor_names_a_tensor_of_the_wrong_size()
    {
        var weights = SeededWeights.Create(TinyConfigs.Qwen2, seed: 9);
        weights["model.layers.1.mlp.up_proj.weight"] = new float[3];

        var ex = Assert.Throws<ArgumentException>(() => Build(TinyConfigs.Qwen2, weights));

        Assert.Contains("model.layers.1.mlp.up_proj.weight", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seeded_weights_are_reproducible_and_have_the_stated_scale()
    {
        var a = SeededWeights.Create(TinyConfigs.Qwen2, seed: 10);
        var b = SeededWeights.Create(TinyConfigs.Qwen2, seed: 10);
        var c = SeededWeights.Create(TinyConfigs.Qwen2, seed: 11);

        Assert.Equal(Qwen2Parameters.Shapes(TinyConfigs.Qwen2).Select(s => s.Name), a.Keys);
        Assert.All(a, kv => Assert.Equal(kv.Value, b[kv.Key]));
        Assert.NotEqual(a["model.embed_tokens.weight"], c["model.embed_tokens.weight"]);
        Assert.All(a["model.norm.weight"], v => Assert.InRange(v, 0.9f, 1.1f));
        var embed = a["model.embed_tokens.weight"];
        var std = Math.Sqrt(embed.Sum(v => (double)v * v) / embed.Length);
        Assert.InRange(std, 0.017, 0.023);
    }

    private static double MaxAbsDifference(double[,] a, double[,] b, int row)
    {
        var max = 0.0;
        for (var v = 0; v < a.GetLength(1); v++)
            max = Math.Max(max, Math.Abs(a[row, v] - b[row, v]));
        return max;
    }
}
