namespace Infra.Core.Text;

/// <summary>
/// The merge loop of byte-level BPE training: repeatedly merges the most frequent adjacent pair of
/// tokens, updating pair counts incrementally (only the words that hold the merged pair are
/// revisited), as HF's trainer does.
/// </summary>
/// <remarks>
/// Ties go to the pair whose left token has the lower id, then the lower right id, where byte tokens
/// have their byte value as id and learned tokens follow in the order learned. HF's trainer also
/// breaks ties by ids, but numbers the bytes in code-point order of their GPT-2 characters, so on a
/// tie the two may pick different pairs. Pair counts in the queue can go stale (a merge lowers or
/// raises other pairs' counts): a changed pair is queued again with its new count, and an entry
/// whose count no longer matches is dropped when it comes up.
/// </remarks>
internal sealed class BpeMergeLoop
{
    private readonly List<BpeWord> _words;
    private readonly Dictionary<long, long> _pairCounts = [];
    private readonly Dictionary<long, HashSet<int>> _wordsWithPair = [];
    private readonly PriorityQueue<long, (long NegatedCount, long Pair)> _queue = new();
    private readonly List<string> _vocab = [.. ByteLevelAlphabet.ByteToChar.Select(c => c.ToString())];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<BpeMerge> _merges = [];

    public BpeMergeLoop(List<BpeWord> words)
    {
        _words = words;
        for (var id = 0; id < _vocab.Count; id++)
            _ids[_vocab[id]] = id;
        for (var w = 0; w < words.Count; w++)
        {
            var word = words[w];
            for (var i = 0; i + 1 < word.Length; i++)
            {
                var pair = Pack(word[i], word[i + 1]);
                _pairCounts[pair] = _pairCounts.GetValueOrDefault(pair) + word.Count;
                WordsWith(pair).Add(w);
            }
        }
        foreach (var (pair, count) in _pairCounts)
            _queue.Enqueue(pair, (-count, pair));
    }

    /// <summary>Token strings by id: the 256 bytes, then each learned token once.</summary>
    public IReadOnlyList<string> Vocab => _vocab;

    /// <summary>Merges in the order learned.</summary>
    public IReadOnlyList<BpeMerge> Merges => _merges;

    /// <summary>
    /// Merges until the vocabulary holds <paramref name="vocabSize"/> tokens or no pair occurs
    /// <paramref name="minFrequency"/> times.
    /// </summary>
    public void Run(int vocabSize, int minFrequency)
    {
        while (_vocab.Count < vocabSize && _queue.TryDequeue(out var pair, out var priority))
        {
            var count = -priority.NegatedCount;
            if (count != _pairCounts.GetValueOrDefault(pair))
                continue;
            if (count < minFrequency)
                break;
            MergePair(pair);
        }
    }

    private void MergePair(long pair)
    {
        var (left, right) = Unpack(pair);
        var merge = new BpeMerge(_vocab[left], _vocab[right]);
        _merges.Add(merge);
        // Two merges can spell the same token ("a"+"bc", "ab"+"c"): it keeps its first id, as in HF.
        if (!_ids.TryGetValue(merge.Result, out var merged))
        {
            merged = _vocab.Count;
            _ids[merge.Result] = merged;
            _vocab.Add(merge.Result);
        }

        var deltas = new Dictionary<long, long>();
        foreach (var w in _wordsWithPair[pair])
        {
            var word = _words[w];
            for (var i = 0; i + 1 < word.Length; i++)
                Add(deltas, Pack(word[i], word[i + 1]), -word.Count);
            word.Merge(left, right, merged);
            for (var i = 0; i + 1 < word.Length; i++)
            {
                var next = Pack(word[i], word[i + 1]);
                Add(deltas, next, word.Count);
                if (word[i] == merged || word[i + 1] == merged)
                    WordsWith(next).Add(w);
            }
        }
        _wordsWithPair.Remove(pair);

        foreach (var (changed, delta) in deltas)
        {
            if (delta == 0)
                continue;
            var count = _pairCounts.GetValueOrDefault(changed) + delta;
            if (count > 0)
            {
                _pairCounts[changed] = count;
                _queue.Enqueue(changed, (-count, changed));
            }
            else
            {
                _pairCounts.Remove(changed);
            }
        }
    }

    private HashSet<int> WordsWith(long pair)
    {
        if (!_wordsWithPair.TryGetValue(pair, out var set))
            _wordsWithPair[pair] = set = [];
        return set;
    }

    private static void Add(Dictionary<long, long> deltas, long pair, long delta) =>
        deltas[pair] = deltas.GetValueOrDefault(pair) + delta;

    // Left id in the high half, so ordering packed pairs orders by left id, then right id.
    private static long Pack(int left, int right) => ((long)left << 32) | (uint)right;

    private static (int Left, int Right) Unpack(long pair) => ((int)(pair >> 32), (int)pair);
}
