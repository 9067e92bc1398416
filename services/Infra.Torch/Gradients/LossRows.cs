namespace Infra.Torch.Gradients;

/// <summary>
/// The rows of a right-padded <c>[B, T]</c> batch that carry loss: position <c>p</c> of example <c>b</c> predicts token
/// <c>p + 1</c>, and counts when that token's loss-mask entry is set. Flat indices are <c>b·T + p</c>, in batch order.
/// </summary>
/// <param name="Positions">Flat index of each predicting position.</param>
/// <param name="Predicted">Flat index of each predicted token (<c>Positions + 1</c>): where its loss is reported.</param>
/// <param name="Targets">The predicted token's id.</param>
/// <param name="Weights">The example's loss scale.</param>
public sealed record LossRows(long[] Positions, long[] Predicted, long[] Targets, float[] Weights)
{
    /// <summary>Rows that carry loss.</summary>
    public int Count => Positions.Length;

    /// <summary>The loss rows of <paramref name="batch"/> padded to <paramref name="width"/> tokens.</summary>
    public static LossRows Of(IReadOnlyList<TokenizedExample> batch, int width)
    {
        var positions = new List<long>();
        var targets = new List<long>();
        var weights = new List<float>();
        for (var b = 0; b < batch.Count; b++)
        {
            var example = batch[b];
            for (var token = 1; token < example.Ids.Length; token++)
            {
                if (example.LossMask[token] == 0) continue;
                positions.Add((long)b * width + token - 1);
                targets.Add(example.Ids[token]);
                weights.Add(example.LossScale);
            }
        }
        return new LossRows([.. positions], positions.Select(p => p + 1).ToArray(), [.. targets], [.. weights]);
    }
}
