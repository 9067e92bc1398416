using System.Collections.Concurrent;
using System.Text;

namespace Infra.Core.Text;

/// <summary>
/// Byte-level BPE over one pre-tokenized piece, merging as HF's tokenizers do: repeatedly the adjacent pair with the
/// lowest merge rank, the leftmost one on a tie, until no pair has a merge.
/// </summary>
/// <remarks>
/// The merges run on a linked list of symbols with a priority queue of candidate pairs, as HF's <c>Word::merge_all</c>
/// does, so a piece of n bytes costs O(n log n). Microsoft.ML.Tokenizers' BPE rescans the piece after every merge:
/// one unbroken run of 50,000 CJK characters (a chain of thought in Chinese, a minified line of code: the split regex
/// keeps a run of letters whole) took 8 s there and grows with the square of its length. Results of pieces up to
/// <see cref="CachedPieceLength"/> chars are cached, as HF caches words. Thread-safe.
/// </remarks>
internal sealed class ByteLevelBpe
{
    /// <summary>Pieces up to this many chars are cached (HF's default cache holds short words too).</summary>
    public const int CachedPieceLength = 64;

    private const int CacheCapacity = 200_000;

    private readonly int[] _byteIds = new int[256];
    private readonly Dictionary<long, (int Rank, int Id)> _merges;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    /// <param name="vocab">Token (GPT-2 byte alphabet) to id; must hold every single byte's token.</param>
    /// <param name="merges">"left right" in priority order; both sides and their concatenation must be in the vocabulary.</param>
    /// <param name="source">The file, for errors.</param>
    /// <exception cref="TokenizerException">A byte without a token, or a merge naming a token the vocabulary lacks.</exception>
    public ByteLevelBpe(IReadOnlyDictionary<string, int> vocab, IReadOnlyList<string> merges, string source)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(merges);
        for (var b = 0; b < 256; b++)
        {
            var token = ByteLevelAlphabet.ByteToChar[b].ToString();
            _byteIds[b] = vocab.TryGetValue(token, out var id)
                ? id
                : throw new TokenizerException($"{source}: the vocabulary has no token for byte 0x{b:X2} ('{token}'), which byte-level BPE needs");
        }
        _merges = new Dictionary<long, (int, int)>(merges.Count, PairComparer.Instance);
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var space = merges[rank].IndexOf(' ', StringComparison.Ordinal);
            var left = merges[rank][..space];
            var right = merges[rank][(space + 1)..];
            if (!vocab.TryGetValue(left, out var l) || !vocab.TryGetValue(right, out var r) || !vocab.TryGetValue(left + right, out var merged))
                throw new TokenizerException($"{source}: merge #{rank} '{merges[rank]}' names a token that is not in the vocabulary");
            _merges.TryAdd(Pack(l, r), (rank, merged)); // a repeated merge keeps its first (best) rank, as HF does
        }
    }

    /// <summary>The ids of <paramref name="piece"/>'s UTF-8 bytes after every merge.</summary>
    public int[] Encode(ReadOnlySpan<char> piece)
    {
        if (piece.Length <= CachedPieceLength)
        {
            var lookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(piece, out var cached)) return cached;
            var ids = Merge(piece);
            if (_cache.Count < CacheCapacity) lookup.TryAdd(piece, ids);
            return ids;
        }
        return Merge(piece);
    }

    private int[] Merge(ReadOnlySpan<char> piece)
    {
        var bytes = Encoding.UTF8.GetBytes(piece.ToArray());
        var n = bytes.Length;
        var ids = new int[n];
        var next = new int[n];
        var prev = new int[n];
        for (var i = 0; i < n; i++)
        {
            ids[i] = _byteIds[bytes[i]];
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        // Candidate merges (position, merged id) by rank, then position: the lowest rank first, the leftmost on a tie,
        // packed into one long so the queue compares integers. An entry is stale when its left symbol has been merged
        // away or its pair no longer merges into the same id; it is skipped when it comes up (HF's exact rule).
        var initial = new List<((int, int), long)>(n);
        for (var i = 0; i + 1 < n; i++)
            if (_merges.TryGetValue(Pack(ids[i], ids[i + 1]), out var first))
                initial.Add(((i, first.Id), Priority(first.Rank, i)));
        var queue = new PriorityQueue<(int Position, int Id), long>(initial); // heapified at once: O(n), not n log n
        var alive = n;
        while (queue.TryDequeue(out var candidate, out _))
        {
            var left = candidate.Position;
            if (ids[left] < 0 || next[left] < 0) continue;
            var right = next[left];
            if (!_merges.TryGetValue(Pack(ids[left], ids[right]), out var merge) || merge.Id != candidate.Id) continue;
            ids[left] = merge.Id;
            ids[right] = -1;
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            alive--;
            if (prev[left] >= 0) Offer(queue, ids, prev[left], left);
            if (next[left] >= 0) Offer(queue, ids, left, next[left]);
        }
        var result = new int[alive];
        for (int i = 0, k = 0; k < alive; i = next[i]) result[k++] = ids[i];
        return result;
    }

    private void Offer(PriorityQueue<(int, int), long> queue, int[] ids, int left, int right)
    {
        if (_merges.TryGetValue(Pack(ids[left], ids[right]), out var merge))
            queue.Enqueue((left, merge.Id), Priority(merge.Rank, left));
    }

    private static long Priority(int rank, int position) => ((long)rank << 32) | (uint)position;

    private static long Pack(int left, int right) => ((long)left << 32) | (uint)right;

    // long's own hash is its halves XORed: for (left, right) id pairs below 2^18 that folds 151k merges onto few
    // buckets, and lookups took most of the time. A multiplicative (Fibonacci) hash spreads them.
    private sealed class PairComparer : IEqualityComparer<long>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long obj) => (int)(((ulong)obj * 0x9E3779B97F4A7C15UL) >> 32);
    }
}
