namespace Infra.Core.Text;

/// <summary>Collects the tokens of one <see cref="HfTokenizer.Encode"/> call and builds its <see cref="EncodedText"/>.</summary>
internal sealed class EncodedTextBuilder(int capacity)
{
    public List<int> Ids { get; } = new(capacity);
    public List<string> Tokens { get; } = new(capacity);
    public List<int> CharStarts { get; } = new(capacity);
    public List<int> CharLengths { get; } = new(capacity);

    public int Count => Ids.Count;

    public void Add(int id, string token, int charStart, int charLength)
    {
        Ids.Add(id);
        Tokens.Add(token);
        CharStarts.Add(charStart);
        CharLengths.Add(charLength);
    }

    public EncodedText Build() => new([.. Ids], [.. Tokens], [.. CharStarts], [.. CharLengths]);
}
