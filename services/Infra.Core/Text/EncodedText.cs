namespace Infra.Core.Text;

/// <summary>
/// The result of <see cref="HfTokenizer.Encode"/>: one entry per token in every array.
/// <see cref="CharStarts"/>/<see cref="CharLengths"/> are UTF-16 offsets into the encoded text;
/// byte-level tokens that lie inside one multi-byte character share that character's span.
/// </summary>
public sealed record EncodedText(int[] Ids, string[] Tokens, int[] CharStarts, int[] CharLengths);
