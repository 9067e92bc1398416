using Infra.Core.Errors;
using Infra.Client.Rerank;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Client.Tests;

public sealed class ExactTokenScoresTests
{
    private static GetExamplesResponse Stored() => new()
    {
        Id = "e1", Domain = "math", Difficulty = 2, Text = "ab c", TokenIds = { 7, 8, 9 }, LossMask = { 0, 1, 1 },
        CharStarts = { 0, 1, 2 }, CharLengths = { 1, 1, 2 }, Tokens = { "a", "b", " c" },
    };

    [Fact]
    public void Token_scores_keep_the_stored_metadata_and_the_exact_values_and_are_labelled_exact()
    {
        var exact = new ExactExampleScores { ExampleId = "e1", ExampleScores = { 6, 60 }, TokenScores = { 1, 10, 2, 20, 3, 30 }, Tokens = 3, Fidelity = ScoreFidelity.Exact };
        var t = ExactTokenScores.Build(Stored(), exact, ["q1", "q2"], ["math", "code"]);
        Assert.Equal(ScoreFidelity.Exact, t.Fidelity);
        Assert.Equal(["a", "b", " c"], t.Tokens);
        Assert.Equal([0u, 1u, 1u], t.LossMask);
        Assert.Equal([1f, 10f, 2f, 20f, 3f, 30f], t.Scores);
        Assert.Equal([6d, 60d], t.ExampleScores);
        Assert.Equal(["q1", "q2"], t.QueryIds);
        Assert.Equal(["math", "code"], t.QueryDomains);
        // The invariant a reader relies on: each query's token column sums to its example score.
        for (var q = 0; q < 2; q++)
            Assert.Equal(t.ExampleScores[q], Enumerable.Range(0, 3).Sum(i => (double)t.Scores[i * 2 + q]), 12);
    }

    [Fact]
    public void A_token_count_other_than_the_stored_examples_is_refused_naming_the_example()
    {
        var exact = new ExactExampleScores { ExampleId = "e1", ExampleScores = { 3 }, TokenScores = { 1, 2 } };
        var error = Assert.Throws<DomainException>(() => ExactTokenScores.Build(Stored(), exact, ["q1"], ["math"]));
        Assert.Contains("example 'e1': 2 exact token scores for 3 stored tokens x 1 queries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_candidate_is_sent_with_the_stored_token_ids_and_mask_so_nothing_is_rendered_again()
    {
        var candidate = ExactRescorer.ToCandidate(Stored());
        Assert.Equal("e1", candidate.Id);
        Assert.Equal([7, 8, 9], candidate.Tokens.TokenIds);
        Assert.Equal([0u, 1u, 1u], candidate.Tokens.LossMask);
        Assert.Equal("", candidate.Prompt);
    }
}
