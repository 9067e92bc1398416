using Infra.Aggregation.Sequences;
using Infra.Aggregation.Tokens;

namespace Infra.Aggregation.Tests.Sequences;

/// <summary>The invariants of a <see cref="SequenceTokenMap"/>: no token lost or doubled, sums preserved.</summary>
internal static class MapAssert
{
    public static void Consistent(SequenceTokenMap map)
    {
        var tokens = map.Tokens;
        PartitionAssert.Covers(map.Segmentation);
        var masked = Enumerable.Range(0, tokens.Count).Where(t => tokens.LossMask[t] == 1).ToList();
        // Each masked token in exactly one sequence, the others in none.
        for (var t = 0; t < tokens.Count; t++)
        {
            if (tokens.LossMask[t] == 1)
                Assert.InRange(map.TokenSequence[t], 0, map.Sequences.Count - 1);
            else
                Assert.Equal(-1, map.TokenSequence[t]);
        }
        var listed = Enumerable.Range(0, map.Sequences.Count).SelectMany(map.TokensOf).ToList();
        Assert.Equal(masked, listed);
        // Sequences follow the tokens in order, and each token's anchor character lies in its sequence.
        for (var i = 1; i < masked.Count; i++)
            Assert.True(map.TokenSequence[masked[i]] >= map.TokenSequence[masked[i - 1]], $"token {masked[i]} goes back a sequence");
        foreach (var t in masked)
        {
            var sequence = map.Sequences[map.TokenSequence[t]];
            if (sequence.Kind == SequenceKind.End)
            {
                Assert.True(TokenClassifier.IsSpecialToken(tokens.Tokens[t]));
                continue;
            }
            var anchor = tokens.CharStarts[t];
            while (anchor < tokens.CharStarts[t] + tokens.CharLengths[t] - 1 && char.IsWhiteSpace(tokens.Text[anchor])) anchor++;
            Assert.InRange(anchor, sequence.Start, Math.Max(sequence.Start, sequence.End - 1));
        }
        // The sequences, End included, cover the response region exactly.
        var regionStart = masked.Min(t => tokens.CharStarts[t]);
        var regionEnd = masked.Max(t => tokens.CharStarts[t] + tokens.CharLengths[t]);
        Assert.Equal(regionStart, map.Segmentation.Start);
        Assert.Equal(regionEnd, map.Sequences.Count == 0 ? regionStart : map.Sequences[^1].End);
        // Sequence sums equal response-token sums, per query.
        for (var q = 0; q < map.QueryCount; q++)
        {
            var tokenSum = masked.Sum(t => (double)tokens.Scores[(t * map.QueryCount) + q]);
            var sequenceSum = Enumerable.Range(0, map.Sequences.Count).Sum(s => map.Score(s, q));
            var scale = masked.Sum(t => Math.Abs((double)tokens.Scores[(t * map.QueryCount) + q])) + 1;
            Assert.True(Math.Abs(tokenSum - sequenceSum) <= 1e-12 * scale, $"query {q}: tokens sum to {tokenSum}, sequences to {sequenceSum}");
        }
    }

    /// <summary>Seeded scores in [-1, 1) for every token x query.</summary>
    public static float[] RandomScores(int tokens, int queries, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, tokens * queries).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
    }
}
