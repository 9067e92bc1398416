using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Infra.Client.Pipeline;

/// <summary>
/// Partition <see cref="Index"/> of <see cref="Count"/> of a corpus, for indexing one corpus from several machines (an
/// Indexed Job's pods, <c>infra index --partition i/n</c>): an example belongs to the partition its id's stable hash
/// (the first 8 bytes of SHA-256 of the UTF-8 id, mod n) names, so every example is in exactly one partition, the same
/// one on every machine and every rerun, whatever the file order — a rerun of a partition lands where it did before and
/// resumes on its own.
/// </summary>
public readonly record struct CorpusPartition
{
    /// <summary>Partition <paramref name="index"/> (0-based) of <paramref name="count"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> &lt; 1, or <paramref name="index"/> not in [0, count).</exception>
    public CorpusPartition(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        Index = index;
        Count = count;
    }

    /// <summary>0-based partition number.</summary>
    public int Index { get; }

    /// <summary>Number of partitions.</summary>
    public int Count { get; }

    /// <summary>The whole corpus: partition 0 of 1.</summary>
    public static CorpusPartition All { get; } = new(0, 1);

    /// <summary>Reads "i/n" (0 &lt;= i &lt; n), as an Indexed Job passes <c>$(JOB_COMPLETION_INDEX)/N</c>.</summary>
    /// <exception cref="FormatException">Not two integers separated by '/', or i outside [0, n), or n &lt; 1; the message says which.</exception>
    public static CorpusPartition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            throw new FormatException($"partition '{text}' is not i/n (two non-negative integers, e.g. 0/4)");
        if (count < 1) throw new FormatException($"partition '{text}': n must be at least 1");
        if (index >= count) throw new FormatException($"partition '{text}': i must be below n (0-based: 0/{count} .. {count - 1}/{count})");
        return new CorpusPartition(index, count);
    }

    /// <summary>Whether the example with <paramref name="id"/> belongs to this partition.</summary>
    public bool Contains(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Count == 1 || IndexOf(id, Count) == Index;
    }

    /// <summary>
    /// The partition (0-based) of <paramref name="count"/> that the example with <paramref name="id"/> belongs to: also
    /// the scoring shard it is stored on in a set of <paramref name="count"/> shards, so partition i of n and shard i of n
    /// hold the same examples.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> &lt; 1.</exception>
    public static int IndexOf(string id, int count)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return count == 1 ? 0 : (int)(Hash(id) % (ulong)count);
    }

    /// <summary>The items of <paramref name="items"/> in this partition, in their order.</summary>
    public IReadOnlyList<T> Select<T>(IReadOnlyList<T> items, Func<T, string> id)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(id);
        var partition = this;
        return Count == 1 ? items : items.Where(item => partition.Contains(id(item))).ToList();
    }

    /// <summary>"i/n".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    // SHA-256 rather than string.GetHashCode (randomised per process) or a home-made hash: stable everywhere, well mixed.
    private static ulong Hash(string id)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), digest);
        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }
}
