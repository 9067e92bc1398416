using Infra.Core.Checkpoints;

namespace Infra.Bench.Scale;

/// <summary>A Qwen2.5 size as the cost model sees it: what sets FLOPs, bytes and memory (not the weights' values).</summary>
/// <param name="Name">"0.5B", "1.5B" or "7B".</param>
/// <param name="Layers">Decoder layers of the real model.</param>
/// <param name="Hidden">Hidden size <c>H</c>.</param>
/// <param name="Intermediate">MLP intermediate size <c>I</c>.</param>
/// <param name="Heads">Query heads.</param>
/// <param name="KvHeads">Key/value heads.</param>
/// <param name="HeadDim">Per-head dimension.</param>
/// <param name="Vocab">Vocabulary size.</param>
/// <param name="TiedEmbeddings">Whether the head shares the embedding matrix.</param>
internal sealed record ModelShape(string Name, int Layers, int Hidden, int Intermediate, int Heads, int KvHeads, int HeadDim, int Vocab, bool TiedEmbeddings)
{
    /// <summary>Qwen2.5-0.5B.</summary>
    public static ModelShape Qwen05B { get; } = new("0.5B", 24, 896, 4864, 14, 2, 64, 151_936, true);

    /// <summary>Qwen2.5-1.5B.</summary>
    public static ModelShape Qwen15B { get; } = new("1.5B", 28, 1536, 8960, 12, 2, 128, 151_936, true);

    /// <summary>Qwen2.5-7B.</summary>
    public static ModelShape Qwen7B { get; } = new("7B", 28, 3584, 18944, 28, 4, 128, 152_064, false);

    /// <summary>The three sizes of the cost tables.</summary>
    public static IReadOnlyList<ModelShape> All { get; } = [Qwen05B, Qwen15B, Qwen7B];

    /// <summary>Weights of one decoder layer's linear layers (attention q, k, v, o and MLP gate, up, down).</summary>
    public long LayerLinearParameters =>
        (long)Hidden * (Heads * HeadDim + 2L * KvHeads * HeadDim) + (long)Heads * HeadDim * Hidden + 3L * Hidden * Intermediate;

    /// <summary>Every parameter (norms left out: they are a rounding error).</summary>
    public long Parameters => Layers * LayerLinearParameters + (TiedEmbeddings ? 1L : 2L) * Vocab * Hidden;

    /// <summary>This shape with <paramref name="layers"/> decoder layers (what a benchmark on this machine can hold and time).</summary>
    public ModelShape WithLayers(int layers) => this with { Layers = layers };

    /// <summary>The HF config of this shape (seeded weights are written with it).</summary>
    public HfModelConfig Config(int maxPositions = 32_768) => new()
    {
        ModelType = "qwen2",
        HiddenSize = Hidden,
        IntermediateSize = Intermediate,
        NumHiddenLayers = Layers,
        NumAttentionHeads = Heads,
        NumKeyValueHeads = KvHeads,
        VocabSize = Vocab,
        RopeTheta = 1_000_000,
        RmsNormEps = 1e-6,
        TieWordEmbeddings = TiedEmbeddings,
        MaxPositionEmbeddings = maxPositions,
    };
}
