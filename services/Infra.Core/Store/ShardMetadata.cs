using Infra.Core.Metadata;

namespace Infra.Core.Store;

/// <summary>
/// The per-example columns of one shard, in row order: ids, domains, difficulties, token spans
/// (<see cref="TokenOffsets"/>, length n+1, into the shard's token rows), losses, content hashes, the number of
/// loss-mask tokens, and the corpus metadata by column (<see cref="Columns"/>: per column one value per row, null where
/// the example has none; empty for shards written before metadata was kept).
/// Token ids, per-token losses, the text and char offsets stay on disk (see <see cref="MetadataFile"/>).
/// </summary>
public sealed record ShardMetadata(
    string[] Ids,
    string[] Domains,
    int[] Difficulties,
    long[] TokenOffsets,
    float[] Losses,
    string[] ContentHashes,
    int[] LossTokens,
    IReadOnlyDictionary<string, MetadataValue?[]> Columns)
{
    /// <summary>Examples in the shard.</summary>
    public int Count => Ids.Length;

    /// <summary>Tokens of example <paramref name="row"/>.</summary>
    public int TokenCount(int row) => (int)(TokenOffsets[row + 1] - TokenOffsets[row]);

    /// <summary>
    /// Example <paramref name="row"/>'s mean answer loss: its loss (summed over loss-mask tokens) per loss-mask token;
    /// null when it has no loss-mask tokens.
    /// </summary>
    public double? MeanAnswerLoss(int row) => LossTokens[row] > 0 ? (double)Losses[row] / LossTokens[row] : null;

    /// <summary>Example <paramref name="row"/>'s metadata, by column name (ordinal); empty when it has none.</summary>
    public IReadOnlyDictionary<string, MetadataValue> MetadataOf(int row)
    {
        if (Columns.Count == 0) return MetadataColumns.None;
        var values = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
        foreach (var (name, column) in Columns)
        {
            if (column[row] is { } value) values[name] = value;
        }
        return values;
    }
}
