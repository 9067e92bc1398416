using Infra.Aggregation.Tokens;
using Infra.Core.Errors;

namespace Infra.Aggregation.Sequences;

/// <summary>
/// The response of a scored example cut into sequences, with every response token assigned to
/// exactly one sequence and the sequence scores (sums of their tokens' scores, per query).
/// </summary>
/// <remarks>
/// <para>The response is the span from the first to the last loss-mask token. The special tokens
/// that end it (a trailing run of masked tokens whose text is a special token such as
/// <c>&lt;|im_end|&gt;</c>) form their own last sequence of kind <see cref="SequenceKind.End"/>, so
/// the influence of stopping is not mixed into the last sentence; the text before them is
/// segmented by <see cref="SequenceSegmenter"/>.</para>
/// <para>A token belongs to the sequence holding the first non-whitespace character of its span
/// (its first character when it is all whitespace): " The" goes with "The", "\n" with the line it
/// ends, and byte-level pieces of one character, which share its span, go together.
/// Tokens outside the loss mask are in no sequence (-1).</para>
/// <para>Invariant: each masked token is in exactly one sequence, so for every query the sequence
/// scores sum to the masked tokens' scores (in double precision).</para>
/// </remarks>
public sealed class SequenceTokenMap
{
    private readonly int[] _tokenSequence;
    private readonly List<int>[] _sequenceTokens;
    private readonly double[] _scores;

    private SequenceTokenMap(ScoredTokens tokens, ResponseSegmentation segmentation, IReadOnlyList<Sequence> sequences, int[] tokenSequence)
    {
        Tokens = tokens;
        Segmentation = segmentation;
        Sequences = sequences;
        _tokenSequence = tokenSequence;
        _sequenceTokens = sequences.Select(_ => new List<int>()).ToArray();
        var m = tokens.QueryCount;
        _scores = new double[sequences.Count * m];
        for (var t = 0; t < tokenSequence.Length; t++)
        {
            if (tokenSequence[t] is var s and >= 0)
            {
                _sequenceTokens[s].Add(t);
                for (var q = 0; q < m; q++)
                    _scores[(s * m) + q] += tokens.Scores[(t * m) + q];
            }
        }
    }

    /// <summary>The scored example.</summary>
    public ScoredTokens Tokens { get; }

    /// <summary>The segmentation of the response text (without the end tokens); spans index <see cref="ScoredTokens.Text"/>.</summary>
    public ResponseSegmentation Segmentation { get; }

    /// <summary><see cref="ResponseSegmentation.Sequences"/> and, when the response ends in special tokens, the <see cref="SequenceKind.End"/> sequence last.</summary>
    public IReadOnlyList<Sequence> Sequences { get; }

    /// <summary>Per token, the index in <see cref="Sequences"/> it belongs to; -1 outside the loss mask.</summary>
    public IReadOnlyList<int> TokenSequence => _tokenSequence;

    /// <summary>Queries per sequence score.</summary>
    public int QueryCount => Tokens.QueryCount;

    /// <summary>Sequence scores, row-major sequence x query: <c>[s * QueryCount + m]</c>.</summary>
    public IReadOnlyList<double> Scores => _scores;

    /// <summary>Sum of sequence <paramref name="sequence"/>'s token scores for query <paramref name="query"/>.</summary>
    public double Score(int sequence, int query) => _scores[(sequence * QueryCount) + query];

    /// <summary>The tokens of one sequence, in order.</summary>
    public IReadOnlyList<int> TokensOf(int sequence) => _sequenceTokens[sequence];

    /// <summary>Segments the response of <paramref name="tokens"/> and maps its tokens.</summary>
    /// <param name="tokens">The scored example; validated.</param>
    /// <param name="mode">How unfenced text reads (<see cref="SegmentationModes.For(string?)"/> gives the domain's).</param>
    /// <param name="segmenter">Defaults to a <see cref="SequenceSegmenter"/> with default options.</param>
    /// <param name="isSpecial">Whether a token's text is a special token; defaults to <see cref="TokenClassifier.IsSpecialToken"/> (<c>&lt;|...|&gt;</c>).</param>
    /// <exception cref="ArgumentException">The arrays disagree, nothing is masked, or masked tokens carry no text.</exception>
    public static SequenceTokenMap Build(ScoredTokens tokens, SegmentationMode mode, SequenceSegmenter? segmenter = null, Func<string, bool>? isSpecial = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        tokens.Validate();
        segmenter ??= new SequenceSegmenter();
        isSpecial ??= TokenClassifier.IsSpecialToken;
        var masked = Enumerable.Range(0, tokens.Count).Where(t => tokens.LossMask[t] == 1).ToArray();
        if (masked.Length == 0)
            throw DomainException.InvalidArgument("the example has no loss-mask tokens, so no response to segment");
        var start = masked.Min(t => tokens.CharStarts[t]);
        var end = masked.Max(t => tokens.CharStarts[t] + tokens.CharLengths[t]);
        var endRun = masked.Length;
        while (endRun > 0 && isSpecial(tokens.Tokens[masked[endRun - 1]])) endRun--;
        var textEnd = endRun == masked.Length ? end : Math.Max(start, tokens.CharStarts[masked[endRun]]);
        var segmentation = segmenter.Segment(tokens.Text, start, textEnd - start, mode);
        var sequences = segmentation.Sequences.ToList();
        if (endRun < masked.Length)
            sequences.Add(new Sequence(sequences.Count, SequenceKind.End, textEnd, end - textEnd, null));
        var starts = segmentation.Sequences.Select(s => s.Start).ToArray();
        var tokenSequence = new int[tokens.Count];
        Array.Fill(tokenSequence, -1);
        for (var i = 0; i < masked.Length; i++)
        {
            var t = masked[i];
            if (i >= endRun)
            {
                tokenSequence[t] = sequences.Count - 1;
                continue;
            }
            if (starts.Length == 0)
                throw DomainException.InvalidArgument($"masked token {t} has no response text to belong to (empty spans?)");
            var position = AnchorCharacter(tokens.Text, tokens.CharStarts[t], tokens.CharLengths[t]);
            var found = Array.BinarySearch(starts, position);
            tokenSequence[t] = found >= 0 ? found : Math.Max(0, ~found - 1);
        }
        return new SequenceTokenMap(tokens, segmentation, sequences, tokenSequence);
    }

    private static int AnchorCharacter(string text, int start, int length)
    {
        for (var i = start; i < start + length; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
                return i;
        }
        return start;
    }
}
