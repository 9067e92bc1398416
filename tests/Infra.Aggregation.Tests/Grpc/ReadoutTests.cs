using Grpc.Core;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Aggregation.Tests.Grpc;

/// <summary>
/// TopK, Aggregate, Sequences, TokenRanking and Reweight against the ScoringService's own answers: stage 1 only
/// (RERANK_MODE_NONE), so every read-out must equal what the store says. The exact rerank is tested in <see cref="ExactRerankTests"/>.
/// </summary>
[Collection(ServicesGroup.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ReadoutTests(ServicesFixture fixture)
{
    private static QuerySelection HeldOut() => new() { QuerySet = ServicesFixture.QuerySet, Rerank = RerankMode.None };

    [Fact]
    public async Task TopK_equals_the_scoring_services_own_top_k()
    {
        var reply = await fixture.Aggregation.TopKAsync(new TopKRequest { Queries = HeldOut(), K = 5, Sequences = 3 });
        var direct = (await fixture.Scoring.Score(new ScoreRequest { QuerySet = ServicesFixture.QuerySet, TopK = 5 }).ResponseStream.ReadAllAsync().ToListAsync())
            .Select(r => r.Result).ToList();
        Assert.Equal(direct.Select(r => r.QueryId), reply.Queries.Select(q => q.QueryId));
        Assert.Equal(fixture.Queries.Select(q => q.Domain), reply.Queries.Select(q => q.QueryDomain));
        foreach (var (mine, theirs) in reply.Queries.Zip(direct))
        {
            Assert.Equal(theirs.Top.Select(e => (e.Id, e.Score)), mine.Top.Select(e => (e.Id, e.Score)));
            Assert.Equal(theirs.Bottom.Select(e => (e.Id, e.Score)), mine.Bottom.Select(e => (e.Id, e.Score)));
            Assert.Equal(theirs.Measurement, mine.Measurement);
            Assert.Equal(3, mine.TopSequences.Count);
            Assert.True(mine.TopSequences[0].Scores[0] >= mine.TopSequences[^1].Scores[0]);
            Assert.All(mine.TopSequences, s => Assert.Contains(s.ExampleId, mine.Top.Select(e => e.Id)));
            Assert.All(mine.TopSequences, s => Assert.NotEqual(SequenceKind.Unspecified, s.Kind));
        }
    }

    [Fact]
    public async Task TopK_difficulty_bounds_absent_are_no_bound_and_zero_is_a_real_bound()
    {
        async Task<int> Count(TopKRequest request) => (await fixture.Aggregation.TopKAsync(request)).Queries[0].Top.Count;
        TopKRequest All() => new() { Queries = HeldOut(), K = 10_000 };
        // The slice's difficulties are 1..5: a bound of 0 keeps none below it and all above it.
        Assert.Equal(fixture.Training.Count, await Count(All()));
        Assert.Equal(0, await Count(new TopKRequest(All()) { MaxDifficulty = 0 }));
        Assert.Equal(fixture.Training.Count, await Count(new TopKRequest(All()) { MinDifficulty = 0 }));
        Assert.Equal(fixture.Training.Count(e => e.Difficulty <= 2), await Count(new TopKRequest(All()) { MaxDifficulty = 2 }));
        Assert.Equal(fixture.Training.Count(e => e.Difficulty == 3), await Count(new TopKRequest(All()) { MinDifficulty = 3, MaxDifficulty = 3 }));
    }

    [Fact]
    public async Task Counts_beyond_the_store_mean_all_and_beyond_the_limit_are_refused_naming_the_field()
    {
        var reply = await fixture.Aggregation.TopKAsync(new TopKRequest { Queries = HeldOut(), K = 10_000 });
        Assert.All(reply.Queries, q => Assert.Equal(fixture.Training.Count, q.Top.Count));
        var refused = await Assert.ThrowsAsync<RpcException>(() => fixture.Aggregation.TopKAsync(new TopKRequest { Queries = HeldOut(), K = uint.MaxValue }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("k must be at most 10000 (Aggregation:MaxTopK)", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aggregate_table_equals_a_rollup_computed_directly_from_a_full_score_dump()
    {
        var responses = await fixture.Aggregation.Aggregate(new AggregateRequest { Queries = HeldOut(), BootstrapSamples = 200 }).ResponseStream.ReadAllAsync().ToListAsync();
        Assert.Contains(responses, r => r.ItemCase == AggregateResponse.ItemOneofCase.Progress);
        var result = Assert.Single(responses, r => r.ItemCase == AggregateResponse.ItemOneofCase.Result).Result;

        // The same roll-up by hand: per example its mean raw score over each query domain's queries, then per cell.
        var dump = await fixture.Scoring.Score(new ScoreRequest { QuerySet = ServicesFixture.QuerySet, IncludeAllScores = true }).ResponseStream.ReadAllAsync().ToListAsync();
        var domainOf = fixture.Queries.ToDictionary(q => q.Id, q => q.Domain);
        var rows = dump.Where(r => r.ItemCase == ScoreResponse.ItemOneofCase.Chunk).SelectMany(r => r.Chunk.ExampleIds.Select((id, i) =>
            (Id: id, Domain: r.Chunk.Domains[i], Difficulty: r.Chunk.Difficulties[i],
             Scores: r.Chunk.QueryIds.Select((q, j) => (Query: q, Score: r.Chunk.Raw[i * r.Chunk.QueryIds.Count + j])).ToList()))).ToList();
        Assert.Equal(fixture.Training.Count, rows.Count);
        Assert.Equal((ulong)rows.Count, result.Examples);
        foreach (var table in result.Tables)
        {
            foreach (var cell in table.Cells)
            {
                var values = rows.Where(r => r.Domain == cell.TrainingDomain && (cell.Difficulty == 0 || r.Difficulty == cell.Difficulty))
                    .Select(r => r.Scores.Where(s => table.QueryDomain == "all" || domainOf[s.Query] == table.QueryDomain).Average(s => s.Score)).OrderBy(v => v).ToList();
                Assert.Equal((uint)values.Count, cell.Statistics.N);
                Assert.Equal(values.Average(), cell.Statistics.Mean, 1e-9 * Math.Max(1, Math.Abs(values.Average())));
                Assert.Equal(values.Sum(), cell.Statistics.Sum, 1e-9 * Math.Max(1, Math.Abs(values.Sum())));
                var median = values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
                Assert.Equal(median, cell.Statistics.Median, 1e-9 * Math.Max(1, Math.Abs(median)));
                Assert.Equal(values.Count(v => v > 0) / (double)values.Count, cell.Statistics.SharePositive, 12);
                Assert.Contains(cell, result.CrossDomain);
            }
        }
        Assert.Equal(["code", "math", "all"], result.Tables.Select(t => t.QueryDomain));
        // 2 training domains x (5 difficulties + all) per query domain.
        Assert.All(result.Tables, t => Assert.Equal(12, t.Cells.Count));
    }

    [Fact]
    public async Task Sequences_partition_the_response_tokens_and_sum_to_their_scores()
    {
        var ids = fixture.Training.Take(4).Select(e => e.Id).Append(fixture.Training[^1].Id).ToList();
        var reply = await fixture.Aggregation.SequencesAsync(new SequencesRequest { Queries = HeldOut(), ExampleIds = { ids } });
        Assert.Equal(ids, reply.Examples.Select(e => e.ExampleId));
        var tokens = await fixture.Scoring.ScoreTokens(new ScoreTokensRequest { QuerySet = ServicesFixture.QuerySet, ExampleIds = { ids } }).ResponseStream.ReadAllAsync().ToListAsync();
        foreach (var (example, t) in reply.Examples.Zip(tokens))
        {
            var m = t.QueryIds.Count;
            for (var q = 0; q < m; q++)
            {
                var response = Enumerable.Range(0, t.Tokens.Count).Where(i => t.LossMask[i] == 1).Sum(i => (double)t.Scores[i * m + q]);
                Assert.Equal(response, example.Sequences.Sum(s => s.Scores[q]), 1e-9 * Math.Max(1, Math.Abs(response)));
            }
            Assert.Equal(t.LossMask.Count(b => b == 1), example.Sequences.Sum(s => (int)s.TokenCount));
            Assert.All(example.Sequences, s => Assert.Equal(example.Text.Substring(s.CharStart, s.CharLength), s.Text));
        }
        // The lab corpus writes verification ("Wait, let me verify ...") into responses; the lexicon tags it.
        var all = await fixture.Aggregation.SequencesAsync(new SequencesRequest { Queries = HeldOut(), ExampleIds = { fixture.Training.Select(e => e.Id) } });
        Assert.Contains(all.Examples.SelectMany(e => e.Sequences), s => s.Tags.Count > 0);
    }

    [Fact]
    public async Task Token_ranking_covers_every_response_token_once_per_query_domain()
    {
        var reply = await fixture.Aggregation.TokenRankingAsync(new TokenRankingRequest { Queries = HeldOut(), Top = 10 });
        Assert.Equal((ulong)fixture.Training.Count, reply.Examples);
        Assert.Equal(["code", "math"], reply.Domains.Select(d => d.QueryDomain));
        foreach (var d in reply.Domains)
        {
            Assert.Equal(reply.Tokens, d.Categories.Aggregate(0UL, (s, c) => s + c.Count));
            Assert.Equal(10, d.Top.Count);
            Assert.True(d.Top[0].Mean >= d.Top[^1].Mean);
            Assert.Contains(d.Categories, c => c.Category == TokenCategory.Number);
        }
    }

    [Fact]
    public async Task Reweight_writes_weights_and_a_weighted_corpus_and_keeps_each_domains_budget()
    {
        var folder = Path.Combine(fixture.Root, "reweight-flip");
        var reply = await fixture.Aggregation.ReweightAsync(new ReweightRequest
        {
            Queries = HeldOut(), Strategy = ReweightStrategy.DifficultyFlip, OutputFolder = folder, CorpusPath = fixture.CorpusPath, Resample = true, Seed = 3,
        });
        Assert.Equal(fixture.Training.Count, reply.Weights.Count);
        foreach (var domain in new[] { "math", "code" })
        {
            var ids = fixture.Training.Where(e => e.Domain == domain).Select(e => e.Id).ToHashSet();
            Assert.Equal(ids.Count, reply.Weights.Where(w => ids.Contains(w.Id)).Sum(w => w.Weight), 9);
        }
        Assert.Equal(10, reply.Cells.Count);
        Assert.All(reply.Files, f => Assert.True(File.Exists(f), f));
        Assert.Equal(4, reply.Files.Count);
        var weighted = File.ReadAllLines(Path.Combine(folder, "weighted-corpus.jsonl"));
        Assert.Equal(fixture.Training.Count, weighted.Length);
        Assert.All(weighted, line => Assert.Contains("\"weight\":", line, StringComparison.Ordinal));

        var top = await fixture.Aggregation.ReweightAsync(new ReweightRequest { Queries = HeldOut(), Strategy = ReweightStrategy.TopFraction, Fraction = 0.25, QueryDomain = "all" });
        Assert.Equal(5, top.Weights.Count(w => w.Weight > 0));
        // Without output_folder: a folder named after the set under OutputRoot (the fixture's root).
        Assert.StartsWith(Path.Combine(fixture.Root, "reweight-" + ServicesFixture.QuerySet), top.Files[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_writes_the_html_its_charts_and_every_table_as_csv_and_parquet()
    {
        var folder = Path.Combine(fixture.Root, "report");
        // The default: heat-maps, sequences and token rankings from exact scores (every example recomputed), roll-ups approximate.
        var exact = new QuerySelection { QuerySet = ServicesFixture.QuerySet };
        var reply = await fixture.Aggregation.ReportAsync(new ReportRequest { Queries = exact, OutputFolder = folder, TopK = 5, HeatMapExamples = 2 });
        Assert.Equal(Path.GetFullPath(folder), reply.Folder);
        var html = await File.ReadAllTextAsync(reply.Html);
        Assert.Contains("Example lists, heat-maps, sequences and token rankings: EXACT", html, StringComparison.Ordinal);
        Assert.Contains(ServicesFixture.QuerySet, html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.NotEmpty(reply.Charts);
        Assert.All(reply.Charts.Concat(reply.Tables), f => Assert.True(new FileInfo(f).Length > 0, f));
        Assert.Contains(reply.Charts, f => f.EndsWith(".png", StringComparison.Ordinal));
        var aggregate = (await fixture.Aggregation.Aggregate(new AggregateRequest { Queries = HeldOut(), BootstrapSamples = 10 }).ResponseStream.ReadAllAsync().ToListAsync()).Last().Result;
        var crossDomain = await Infra.Aggregation.Exports.ParquetTableReader.ReadFileAsync(reply.Tables.Single(f => f.EndsWith("cross_domain.parquet", StringComparison.Ordinal)));
        Assert.Equal(aggregate.CrossDomain.Count, File.ReadAllLines(reply.Tables.Single(f => f.EndsWith("cross_domain.csv", StringComparison.Ordinal))).Length - 1);
        Assert.Equal(aggregate.CrossDomain.Count, crossDomain.RowCount);
        // Every exported table says what its scores are: the roll-ups approximate, the default token pass exact.
        Assert.EndsWith(",fidelity", File.ReadLines(reply.Tables.Single(f => f.EndsWith("cross_domain.csv", StringComparison.Ordinal))).First(), StringComparison.Ordinal);
        Assert.All(File.ReadLines(reply.Tables.Single(f => f.EndsWith("cross_domain.csv", StringComparison.Ordinal))).Skip(1), l => Assert.EndsWith(",approximate", l, StringComparison.Ordinal));
        Assert.All(File.ReadLines(reply.Tables.Single(f => f.EndsWith("sequences.csv", StringComparison.Ordinal))).Skip(1), l => Assert.EndsWith(",exact", l, StringComparison.Ordinal));
    }
}
