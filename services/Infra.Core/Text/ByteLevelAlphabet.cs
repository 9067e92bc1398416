using System.Text;

namespace Infra.Core.Text;

/// <summary>
/// GPT-2's <c>bytes_to_unicode</c>: each byte maps to one printable character so that byte-level
/// BPE tokens are ordinary strings. Printable Latin-1 bytes map to themselves; the other 68 bytes
/// map to U+0100 onwards in byte order (space becomes 'Ġ', newline 'Ċ').
/// </summary>
internal static class ByteLevelAlphabet
{
    /// <summary>Character for each byte value, indexed by byte.</summary>
    public static readonly char[] ByteToChar = BuildByteToChar();

    private static readonly Dictionary<char, byte> CharToByte =
        Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    private static char[] BuildByteToChar()
    {
        static bool Printable(int b) => b is >= '!' and <= '~' or >= '¡' and <= '¬' or >= '®' and <= 'ÿ';
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
            map[b] = Printable(b) ? (char)b : (char)next++;
        return map;
    }

    /// <summary>
    /// Appends the bytes a token string stands for. Characters outside the alphabet (the text of
    /// added tokens is stored verbatim) contribute their own UTF-8 bytes, as HF's ByteLevel decoder does.
    /// </summary>
    public static void AppendBytes(string token, List<byte> bytes)
    {
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in token.EnumerateRunes())
        {
            if (rune.IsBmp && CharToByte.TryGetValue((char)rune.Value, out var b))
            {
                bytes.Add(b);
                continue;
            }
            var n = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < n; i++) bytes.Add(utf8[i]);
        }
    }

    /// <summary>The byte-level token string for raw text (each UTF-8 byte to its character).</summary>
    public static string Encode(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var chars = new char[utf8.Length];
        for (var i = 0; i < utf8.Length; i++) chars[i] = ByteToChar[utf8[i]];
        return new string(chars);
    }
}
