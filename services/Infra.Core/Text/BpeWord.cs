namespace Infra.Core.Text;

/// <summary>A distinct pre-tokenized piece during BPE training: its current token ids and how often it occurs.</summary>
internal sealed class BpeWord(int[] symbols, long count)
{
    private readonly int[] _symbols = symbols;

    /// <summary>Occurrences of the piece in the corpus.</summary>
    public long Count { get; } = count;

    /// <summary>Number of tokens the piece is currently split into.</summary>
    public int Length { get; private set; } = symbols.Length;

    /// <summary>The token id at <paramref name="index"/> (below <see cref="Length"/>).</summary>
    public int this[int index] => _symbols[index];

    /// <summary>
    /// Replaces each occurrence of <paramref name="left"/> followed by <paramref name="right"/> with
    /// <paramref name="merged"/>, scanning left to right without overlap ("aaa" with a+a gives "X a"),
    /// as HF's trainer and BPE encoding both do.
    /// </summary>
    public void Merge(int left, int right, int merged)
    {
        var write = 0;
        for (var read = 0; read < Length; write++)
        {
            if (read + 1 < Length && _symbols[read] == left && _symbols[read + 1] == right)
            {
                _symbols[write] = merged;
                read += 2;
            }
            else
            {
                _symbols[write] = _symbols[read];
                read++;
            }
        }
        Length = write;
    }
}
