using Infra.Aggregation.Sequences;
using Infra.Aggregation.Tokens;
using Infra.Contracts.Scoring.V1;

namespace Infra.Aggregation.Services;

/// <summary>
/// One example's <see cref="ScoreTokensResponse"/> from the ScoringService, segmented: its response cut into sequences
/// (mode from its training domain), every response token mapped to one sequence, sequences tagged with behaviours.
/// </summary>
internal sealed class ScoredExampleTokens
{
    private ScoredExampleTokens(ScoreTokensResponse scores, SequenceTokenMap map, IReadOnlyList<IReadOnlySet<string>> tags)
    {
        Scores = scores;
        Map = map;
        Tags = tags;
    }

    public ScoreTokensResponse Scores { get; }

    public SequenceTokenMap Map { get; }

    /// <summary>Behaviour tags per sequence of <see cref="Map"/>.</summary>
    public IReadOnlyList<IReadOnlySet<string>> Tags { get; }

    /// <summary>Queries (columns of the token scores).</summary>
    public int QueryCount => Scores.QueryIds.Count;

    public static ScoredExampleTokens Build(ScoreTokensResponse scores, string trainingDomain, SequenceTagger tagger)
    {
        var tokens = new ScoredTokens(scores.Text, scores.Tokens, scores.CharStarts, scores.CharLengths,
            scores.LossMask.Select(m => (byte)m).ToArray(), scores.Scores, scores.QueryIds.Count);
        var map = SequenceTokenMap.Build(tokens, SegmentationModes.For(trainingDomain));
        return new ScoredExampleTokens(scores, map, tagger.Tag(scores.Text, map.Sequences));
    }

    /// <summary>Whether token <paramref name="t"/> is a response token (loss mask 1).</summary>
    public bool IsResponse(int t) => Scores.LossMask[t] == 1;

    /// <summary>Token <paramref name="t"/>'s category, read as code when its sequence is code.</summary>
    public TokenCategory Category(int t)
    {
        var sequence = Map.TokenSequence[t];
        return TokenClassifier.Classify(Scores.Tokens[t], sequence >= 0 && Map.Sequences[sequence].IsCode);
    }

    /// <summary>The response's character span: from the first to the end of the last response token.</summary>
    public (int Start, int Length) ResponseSpan()
    {
        var masked = Enumerable.Range(0, Scores.Tokens.Count).Where(IsResponse).ToList();
        if (masked.Count == 0) return (0, 0);
        var start = masked.Min(t => Scores.CharStarts[t]);
        return (start, masked.Max(t => Scores.CharStarts[t] + Scores.CharLengths[t]) - start);
    }

    /// <summary>Sum over all tokens (q = query column) and over the response tokens.</summary>
    public (double All, double Response) TokenSums(int q)
    {
        double all = 0, response = 0;
        for (var t = 0; t < Scores.Tokens.Count; t++)
        {
            var s = (double)Scores.Scores[t * QueryCount + q];
            all += s;
            if (IsResponse(t)) response += s;
        }
        return (all, response);
    }
}
