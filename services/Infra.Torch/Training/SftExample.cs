using Infra.Core.Text;

namespace Infra.Torch.Training;

/// <summary>
/// One training example: token ids, the loss mask (1 on the response tokens the model learns to write) and
/// its weight, which multiplies the example's summed token loss. Weight 0 leaves the model untouched by it.
/// </summary>
public sealed record SftExample(string Id, int[] Ids, byte[] LossMask, float Weight = 1f)
{
    /// <summary>An example from a chat-template encoding.</summary>
    public static SftExample From(string id, EncodedExample encoded, float weight = 1f)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        return new SftExample(id, encoded.Ids, encoded.LossMask, weight);
    }

    /// <summary>Tokens that carry loss: mask entries from position 1 on (position 0 is predicted by nothing).</summary>
    public int LossTokens => LossMask.Length <= 1 ? 0 : LossMask.Length - 1 - LossMask.AsSpan(1).Count((byte)0);
}
