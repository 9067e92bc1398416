using System.Globalization;
using System.Text;
using Infra.Aggregation.Reweighting;
using Infra.Aggregation.Rollups;
using Infra.Core.Errors;
using Infra.Corpus;

namespace Infra.Aggregation.Tests.Reweighting;

/// <summary>
/// From streamed scores to a reweighted corpus, on data shaped like the paper's finding: math queries
/// are helped most by hard math, code queries by easy code. The difficulty flip must up-weight exactly
/// those cells, keep each domain's budget, and the resampled corpus must shift towards them.
/// </summary>
public class InfluenceToCorpusTests
{
    private static readonly CorpusRecord[] Corpus =
    [
        .. from domain in new[] { "math", "code" }
           from difficulty in Enumerable.Range(1, 5)
           from copy in Enumerable.Range(0, 4)
           select new CorpusRecord(
               $"{domain}-{difficulty}-{copy}", domain, difficulty,
               $"problem {difficulty}.{copy}", $"solution {difficulty}.{copy}"),
    ];

    private static readonly QueryAttributes[] Queries = [new("qm0", "math"), new("qm1", "math"), new("qc0", "code")];

    private static double Score(CorpusRecord record, QueryAttributes query, int copy)
    {
        var own = record.Domain == query.Domain;
        var signal = record.Domain == "math" ? record.Difficulty : 6 - record.Difficulty;
        return (own ? 0.1 * signal : 0.01) + (0.001 * copy);
    }

    private static InfluenceRollup Rollup()
    {
        var examples = Corpus.Select(r => new ExampleAttributes(r.Id, r.Domain, r.Difficulty)).ToArray();
        var accumulator = new InfluenceAccumulator(examples, Queries);
        foreach (var chunk in Corpus.Chunk(7))
        {
            var raw = chunk.SelectMany(r => Queries.Select(q => Score(r, q, int.Parse(r.Id[^1..], CultureInfo.InvariantCulture)))).ToArray();
            accumulator.Add(new ScoreBlock(chunk.Select(r => r.Id).ToArray(), Queries.Select(q => q.Id).ToArray(), raw));
        }
        return accumulator.Finish();
    }

    [Fact]
    public void Weighting_examples_take_influence_from_the_chosen_queries_and_tokens_from_the_counts()
    {
        var rollup = Rollup();
        var tokens = Corpus.ToDictionary(r => r.Id, r => r.Difficulty * 10, StringComparer.Ordinal);

        var own = WeightingExamples.From(Corpus, rollup, InfluenceScope.OwnDomain, tokens);
        var all = WeightingExamples.From(Corpus, rollup, InfluenceScope.AllQueries);

        var hardMath = own.Single(e => e.Id == "math-5-2");
        Assert.Equal(new WeightingExample("math-5-2", "math", 5, 0.5 + 0.002, 50), hardMath with { Influence = Math.Round(hardMath.Influence, 12) });
        Assert.Equal(((2 * (0.5 + 0.002)) + 0.012) / 3, all.Single(e => e.Id == "math-5-2").Influence, 1e-12);
        Assert.All(all, e => Assert.Equal(1, e.Tokens));
        tokens.Remove("code-1-0");
        Assert.Throws<DomainException>(() => WeightingExamples.From(Corpus, rollup, InfluenceScope.OwnDomain, tokens));
    }

    [Fact]
    public void Difficulty_flip_up_weights_hard_math_and_easy_code_and_resampling_follows()
    {
        var examples = WeightingExamples.From(Corpus, Rollup());

        var flip = DifficultyFlip.Compute(examples);

        var math = flip.Cells.Where(c => c.Domain == "math").OrderBy(c => c.Difficulty).Select(c => c.Weight).ToArray();
        var code = flip.Cells.Where(c => c.Domain == "code").OrderBy(c => c.Difficulty).Select(c => c.Weight).ToArray();
        Assert.Equal(math.Order(), math);            // rising with difficulty
        Assert.Equal(code.OrderDescending(), code);  // falling with difficulty
        Assert.True(math[4] > 1 && math[0] < 1 && code[0] > 1 && code[4] < 1);
        var summary = ReweightingSummary.Summarize(flip.Examples);
        Assert.Equal(0.5, summary.Where(c => c.Domain == "math").Sum(c => c.NewShare), 1e-12); // domain budget kept
        Assert.True(summary.Single(c => c.Domain == "math" && c.Difficulty == 5).NewShare > 0.1);

        var copies = CorpusResampler.Draw(flip.Examples, seed: 5, count: 4000);
        var byId = CorpusResampler.ById(flip.Examples, copies);
        int Drawn(string prefix) => byId.Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(pair => pair.Value);
        Assert.True(Drawn("math-5-") > 2 * Drawn("math-1-"));
        Assert.True(Drawn("code-1-") > 2 * Drawn("code-5-"));

        using var corpusStream = new MemoryStream();
        CorpusWriter.Write(corpusStream, Corpus);
        var corpusText = Encoding.UTF8.GetString(corpusStream.ToArray());
        using var resampled = new StringWriter();
        CorpusResampler.WriteJsonl(new StringReader(corpusText), byId, resampled);
        var reread = CorpusReader.Read(new StringReader(resampled.ToString()));
        Assert.True(reread.IsValid);
        Assert.Equal(4000, reread.Records.Count);
    }
}
