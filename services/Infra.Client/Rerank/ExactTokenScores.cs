using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Errors;

namespace Infra.Client.Rerank;

/// <summary>
/// Exact token scores in the ScoringService's <see cref="ScoreTokensResponse"/> shape (so every reader of token scores takes
/// them unchanged), built from the store's metadata and <c>ScoreExact</c>'s result, labelled
/// <see cref="ScoreFidelity.Exact"/>.
/// </summary>
public static class ExactTokenScores
{
    /// <param name="stored">The example's metadata from <c>GetExamples</c>.</param>
    /// <param name="exact">Its exact scores, with token scores.</param>
    /// <param name="queryIds">Columns of <paramref name="exact"/>, in order.</param>
    /// <param name="queryDomains">Each query's domain, as registered.</param>
    /// <exception cref="InvalidOperationException">No token scores, or a token count that is not the stored example's.</exception>
    public static ScoreTokensResponse Build(GetExamplesResponse stored, ExactExampleScores exact, IReadOnlyList<string> queryIds, IReadOnlyList<string> queryDomains)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(exact);
        ArgumentNullException.ThrowIfNull(queryIds);
        ArgumentNullException.ThrowIfNull(queryDomains);
        var m = queryIds.Count;
        var tokens = stored.TokenIds.Count;
        if (exact.TokenScores.Count != tokens * m)
            throw DomainException.FailedPrecondition($"example '{stored.Id}': {exact.TokenScores.Count} exact token scores for {tokens} stored tokens x {m} queries "
                + "(was the example truncated differently, or were token scores not asked for?)");
        var message = new ScoreTokensResponse { ExampleId = stored.Id, Text = stored.Text, Fidelity = ScoreFidelity.Exact };
        message.QueryIds.AddRange(queryIds);
        message.QueryDomains.AddRange(queryDomains);
        message.TokenIds.AddRange(stored.TokenIds);
        message.Tokens.AddRange(stored.Tokens);
        message.CharStarts.AddRange(stored.CharStarts);
        message.CharLengths.AddRange(stored.CharLengths);
        message.LossMask.AddRange(stored.LossMask);
        message.Scores.AddRange(exact.TokenScores.Select(s => (float)s));
        message.ExampleScores.AddRange(exact.ExampleScores);
        return message;
    }
}
