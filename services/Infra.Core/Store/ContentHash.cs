using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Infra.Core.Store;

/// <summary>
/// An example's identity for idempotent ingest: XxHash128 over its tokens, loss mask, domain,
/// difficulty and metadata. Metadata enters only when there is some, so an example without metadata hashes as it did
/// before metadata was kept (stores written then still recognise their examples). Gradients are left out on purpose: they vary in the last bits with batch shape, while
/// the same tokens are the same example.
/// </summary>
public static class ContentHash
{
    /// <summary>Lowercase hex of the 128-bit hash.</summary>
    public static string Of(StoreExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var hash = new XxHash128();
        hash.Append(MemoryMarshal.AsBytes(example.TokenIds.AsSpan()));
        hash.Append(example.LossMask);
        hash.Append(Encoding.UTF8.GetBytes(example.Domain));
        hash.Append(BitConverter.GetBytes(example.Difficulty));
        if (example.Metadata.Count > 0) hash.Append(Encoding.UTF8.GetBytes(MetadataRowCodec.Encode(example.Metadata)));
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
