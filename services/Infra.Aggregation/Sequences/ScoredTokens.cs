using Infra.Core.Text;
using Infra.Core.Errors;

namespace Infra.Aggregation.Sequences;

/// <summary>
/// One scored example at token level, shaped as the ScoringService's <c>ScoreTokensResponse</c>: the
/// rendered <paramref name="Text"/>, per token its text and UTF-16 span in it and its loss mask
/// (1 = response token, the closing <c>&lt;|im_end|&gt;</c> included), and
/// <paramref name="Scores"/> row-major token x query.
/// </summary>
/// <param name="Text">The whole rendered example.</param>
/// <param name="Tokens">Each token's text (its span of <paramref name="Text"/>).</param>
/// <param name="CharStarts">Each token's first UTF-16 offset into <paramref name="Text"/>.</param>
/// <param name="CharLengths">Each token's span length; byte-level pieces of one character share its span.</param>
/// <param name="LossMask">1 for tokens the model is trained to write, else 0.</param>
/// <param name="Scores"><c>Scores[t * QueryCount + m]</c>: token t's influence on query m.</param>
/// <param name="QueryCount">Queries (columns of <paramref name="Scores"/>).</param>
public sealed record ScoredTokens(
    string Text,
    IReadOnlyList<string> Tokens,
    IReadOnlyList<int> CharStarts,
    IReadOnlyList<int> CharLengths,
    IReadOnlyList<byte> LossMask,
    IReadOnlyList<float> Scores,
    int QueryCount)
{
    /// <summary>Tokens.</summary>
    public int Count => Tokens.Count;

    /// <summary>An encoded example with its scores; token texts are cut from the rendered text.</summary>
    public static ScoredTokens FromEncoded(EncodedExample example, IReadOnlyList<float> scores, int queryCount)
    {
        ArgumentNullException.ThrowIfNull(example);
        var tokens = example.CharStarts.Select((s, i) => example.RenderedText.Substring(s, example.CharLengths[i])).ToArray();
        return new ScoredTokens(example.RenderedText, tokens, example.CharStarts, example.CharLengths, example.LossMask, scores, queryCount);
    }

    /// <summary>Checks the arrays agree with each other and with the text.</summary>
    /// <exception cref="ArgumentException">Naming the first disagreement.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Text);
        var n = Tokens.Count;
        if (CharStarts.Count != n || CharLengths.Count != n || LossMask.Count != n)
            throw DomainException.InvalidArgument($"{n} tokens but {CharStarts.Count} char starts, {CharLengths.Count} char lengths and {LossMask.Count} loss-mask entries");
        if (QueryCount < 0)
            throw DomainException.InvalidArgument($"query count must not be negative; it is {QueryCount}");
        if (Scores.Count != (long)n * QueryCount)
            throw DomainException.InvalidArgument($"{Scores.Count} scores for {n} tokens x {QueryCount} queries; expected {(long)n * QueryCount}");
        for (var t = 0; t < n; t++)
        {
            if (CharStarts[t] < 0 || CharLengths[t] < 0 || CharStarts[t] + CharLengths[t] > Text.Length)
                throw DomainException.InvalidArgument($"token {t} spans [{CharStarts[t]}, +{CharLengths[t]}) outside the text of {Text.Length} characters");
            if (LossMask[t] > 1)
                throw DomainException.InvalidArgument($"loss mask must be 0 or 1; entry {t} is {LossMask[t]}");
        }
    }
}
