using Infra.Torch.Gradients;

namespace Infra.Bench;

/// <summary>Random token ids, equal lengths, loss on the second half (the "response").</summary>
internal static class SyntheticBatch
{
    public static IReadOnlyList<TokenizedExample> Create(int count, int length, int vocab, int seed, string prefix = "ex")
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var ids = new int[length];
            var mask = new byte[length];
            for (var t = 0; t < length; t++)
            {
                ids[t] = random.Next(vocab);
                mask[t] = t >= length / 2 ? (byte)1 : (byte)0;
            }
            return new TokenizedExample($"{prefix}-{i}", ids, mask);
        }).ToList();
    }

    public static long Tokens(IEnumerable<TokenizedExample> batch) => batch.Sum(e => (long)e.Ids.Length);
}
