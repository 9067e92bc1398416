using Infra.Core.Checkpoints;

namespace Infra.Cli.Lab;

/// <summary>The lab's Qwen2 shape, shared by the embedded default's recipe and the difficulty-flip experiment.</summary>
internal static class LabModelShape
{
    /// <summary>
    /// A Qwen2 of <paramref name="hiddenSize"/> x <paramref name="layers"/>: 4 heads, 2 KV heads, 4x MLP, tied
    /// embeddings, rope theta 1e6 as Qwen2.5, 1,024 positions; vocab and EOS from the tokenizer it trains with.
    /// </summary>
    public static HfModelConfig Qwen2(int hiddenSize, int layers, int vocabSize, int eosTokenId, string torchDtype) => new()
    {
        ModelType = "qwen2",
        HiddenSize = hiddenSize,
        IntermediateSize = 4 * hiddenSize,
        NumHiddenLayers = layers,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        VocabSize = vocabSize,
        MaxPositionEmbeddings = 1024,
        RopeTheta = 1_000_000,
        TieWordEmbeddings = true,
        TorchDtype = torchDtype,
        EosTokenId = eosTokenId,
    };
}
