namespace Infra.Core.Store;

/// <summary>
/// The per-example columns of one shard, in row order: ids, domains, difficulties, token spans
/// (<see cref="TokenOffsets"/>, length n+1, into the shard's token rows), losses and content hashes.
/// Token ids, per-token losses, the text and char offsets stay on disk (see <see cref="MetadataFile"/>).
/// </summary>
public sealed record ShardMetadata(
    string[] Ids,
    string[] Domains,
    int[] Difficulties,
    long[] TokenOffsets,
    float[] Losses,
    string[] ContentHashes)
{
    /// <summary>Examples in the shard.</summary>
    public int Count => Ids.Length;

    /// <summary>Tokens of example <paramref name="row"/>.</summary>
    public int TokenCount(int row) => (int)(TokenOffsets[row + 1] - TokenOffsets[row]);
}
