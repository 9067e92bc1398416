namespace Infra.Core.Text;

/// <summary>
/// Code points that HF's tokenizers normalizer does not know, so that normalization leaves them (and the marks around
/// them) exactly as HF's does.
/// </summary>
/// <remarks>
/// HF's Rust tokenizers normalize with the <c>unicode-normalization-alignments</c> crate, whose Unicode tables are older
/// than the ICU that .NET uses here (Unicode 15 on Debian 12). To those tables a character added since is unassigned:
/// combining class 0, no decomposition, composes with nothing. So HF neither reorders a newer combining mark (U+1AC0,
/// U+1DF6) nor composes or decomposes a newer letter, where .NET does. Such a character is a boundary that nothing
/// crosses, so normalizing the text between these characters separately and copying them through gives HF's result.
/// The list is measured, not recalled: every code point whose NFC (alone, after U+0345, before U+0316, between "a" and
/// U+0301, or as its own decomposition) differs from identity under .NET was normalized by HF's tokenizer on the real
/// Qwen tokenizer, and these are the ones where the two disagree (HfTokenizerNormalizationTests checks all of them
/// again). U+FFFE is added because .NET's normalizer throws on it where HF passes it through.
/// </remarks>
internal static class HfUnicodeVersion
{
    // Inclusive ranges, sorted.
    private static readonly (int First, int Last)[] Unknown =
    [
        (0x07FD, 0x07FD), (0x0898, 0x089F), (0x08CA, 0x08D3), (0x09FE, 0x09FE), (0x0C3C, 0x0C3C), (0x0D3B, 0x0D3C),
        (0x0EBA, 0x0EBA), (0x1715, 0x1715), (0x1ABF, 0x1ACE), (0x1DF6, 0x1DFA), (0xA82C, 0xA82C), (0xFFFE, 0xFFFE),
        (0x10D24, 0x10D27), (0x10EAB, 0x10EAC), (0x10EFD, 0x10EFF), (0x10F46, 0x10F50), (0x10F82, 0x10F85), (0x11070, 0x11070),
        (0x1133B, 0x1133B), (0x1145E, 0x1145E), (0x11839, 0x1183A), (0x11930, 0x11930), (0x11935, 0x11935), (0x11938, 0x11938),
        (0x1193D, 0x1193E), (0x11943, 0x11943), (0x119E0, 0x119E0), (0x11A34, 0x11A34), (0x11A47, 0x11A47), (0x11A99, 0x11A99),
        (0x11D42, 0x11D42), (0x11D44, 0x11D45), (0x11D97, 0x11D97), (0x11F41, 0x11F42), (0x16FF0, 0x16FF1), (0x1E08F, 0x1E08F),
        (0x1E130, 0x1E136), (0x1E2AE, 0x1E2AE), (0x1E2EC, 0x1E2EF), (0x1E4EC, 0x1E4EF),
    ];

    /// <summary>True for a code point HF's normalizer treats as unassigned (or that .NET's cannot normalize).</summary>
    public static bool IsUnknown(int codePoint)
    {
        // Most text is below the first entry: one comparison.
        if (codePoint < 0x07FD) return false;
        int lo = 0, hi = Unknown.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (codePoint < Unknown[mid].First) hi = mid - 1;
            else if (codePoint > Unknown[mid].Last) lo = mid + 1;
            else return true;
        }
        return false;
    }
}
