using System.IO.Hashing;

namespace Infra.Core.Store;

/// <summary>XxHash128 of a file, streamed (several GB/s, so every shard can be verified on open).</summary>
public static class FileChecksum
{
    public static string Of(string path)
    {
        var hash = new XxHash128();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        hash.Append(stream);
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>A <see cref="ShardFile"/> entry for a written file in <paramref name="folder"/>.</summary>
    public static ShardFile Describe(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        return new ShardFile(name, new FileInfo(path).Length, Of(path));
    }
}
