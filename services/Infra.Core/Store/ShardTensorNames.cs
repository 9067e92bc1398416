using System.Globalization;

namespace Infra.Core.Store;

/// <summary>Tensor names inside a shard's safetensors file (documented in the README's store section).</summary>
public static class ShardTensorNames
{
    /// <summary><c>[n, k_out * k_in]</c>: the examples' <c>Ĝ</c> of layer <paramref name="layer"/>, row-major per example.</summary>
    public static string ExampleGradients(int layer) => string.Create(CultureInfo.InvariantCulture, $"example_gradients.{layer}");

    /// <summary><c>[T_total, k_in]</c>: every token's <c>â_t</c> of a layer, examples one after another.</summary>
    public static string TokenInputs(int layer) => string.Create(CultureInfo.InvariantCulture, $"token_inputs.{layer}");

    /// <summary><c>[T_total, k_out]</c>: every token's <c>ĝ_t</c> of a layer.</summary>
    public static string TokenOutputGradients(int layer) => string.Create(CultureInfo.InvariantCulture, $"token_output_gradients.{layer}");

    /// <summary>Per-row fp32 scales of an int8 tensor: <c>value = int8 * scale</c>.</summary>
    public static string Scales(string tensor) => tensor + ".scales";

    /// <summary><c>[n + 1]</c> int64: example i's tokens are rows <c>token_offsets[i] .. token_offsets[i+1]</c>.</summary>
    public const string TokenOffsets = "token_offsets";
}
