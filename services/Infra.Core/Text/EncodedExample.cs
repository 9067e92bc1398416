namespace Infra.Core.Text;

/// <summary>
/// A training example as tokens: one entry per token in <see cref="Ids"/>, <see cref="LossMask"/>
/// (1 where the model is trained to predict the token, else 0), <see cref="CharStarts"/> and
/// <see cref="CharLengths"/> (UTF-16 spans in <see cref="RenderedText"/>).
/// <see cref="ResponseCharStart"/> is where the response begins in <see cref="RenderedText"/>.
/// </summary>
public sealed record EncodedExample(
    int[] Ids, byte[] LossMask, int[] CharStarts, int[] CharLengths, string RenderedText, int ResponseCharStart)
{
    /// <summary>
    /// An example from ids and a mask alone (no text: <see cref="RenderedText"/> is empty and every
    /// span is empty at 0), after checking them.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, a mask value is not 0 or 1, or an id is negative.</exception>
    public static EncodedExample FromTokens(int[] ids, byte[] lossMask)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(lossMask);
        if (ids.Length != lossMask.Length)
            throw new ArgumentException($"{ids.Length} ids but {lossMask.Length} loss-mask entries", nameof(lossMask));
        if (Array.FindIndex(lossMask, m => m > 1) is var bad and >= 0)
            throw new ArgumentException($"loss mask must be 0 or 1; entry {bad} is {lossMask[bad]}", nameof(lossMask));
        if (Array.FindIndex(ids, id => id < 0) is var negative and >= 0)
            throw new ArgumentException($"token ids must be non-negative; entry {negative} is {ids[negative]}", nameof(ids));
        return new EncodedExample(ids, lossMask, new int[ids.Length], new int[ids.Length], "", 0);
    }
}
