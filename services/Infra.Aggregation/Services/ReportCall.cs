using Infra.Aggregation.Clients;
using Infra.Aggregation.Exports;
using Infra.Aggregation.Reports;
using Infra.Aggregation.Rollups;
using Infra.Aggregation.Sequences;
using Infra.Aggregation.Tokens;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Statistics;

namespace Infra.Aggregation.Services;

/// <summary>
/// Report: the roll-up (two streamed Score passes; approximate, stage 1), then one pass over every stored example's
/// token scores that feeds the token ranking and the sequence roll-up (behaviour comparison, top sequences) and keeps
/// the tokens of the top and bottom examples for their heat-maps; then the HTML report with its charts, and every
/// table as CSV and Parquet under tables/. By default the token pass is exact (every example recomputed on the
/// GradientService: about one indexing pass of model time), and the heat-map examples are the ones with the highest
/// and lowest exact mean influence; with RERANK_MODE_NONE it reads the store's token factors (approximate).
/// </summary>
internal sealed class ReportCall(ScoringPuller scoring, TokenSource source, SequenceTagger tagger, AggregationServiceOptions options)
{
    private const string Approximate = "approximate";

    public async Task<ReportResponse> RunAsync(ReportRequest request, CancellationToken token)
    {
        // Before any work: a folder outside OutputRoot is refused, not discovered after the scores were pulled.
        var folder = ServerPaths.Under(options.OutputRoot, request.OutputFolder.Length > 0 ? request.OutputFolder : "report-" + request.Queries.QuerySet, "output_folder");
        var topK = Counts.Of(request.TopK, 10);
        var heatMaps = Counts.Of(request.HeatMapExamples, 5);
        var rollupOptions = new RollupOptions { TopK = topK, Bootstrap = new BootstrapOptions { Cancellation = token } };
        var grouping = Grouping.Parse(request.GroupBy);
        var (rollup, store) = await new RollupPuller(scoring).PullAsync(request.Queries, grouping, rollupOptions, null, token).ConfigureAwait(false);
        var cells = rollup.QueryDomains.Append(InfluenceRollup.AllQueries).SelectMany(q => rollup.Table(q, grouping)).ToList();
        var attributes = rollup.Examples.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var exact = Selections.Exact(request.Queries);
        var top = rollup.TopExamples(InfluenceRollup.AllQueries).Take(heatMaps).ToList();
        var bottom = rollup.BottomExamples(InfluenceRollup.AllQueries).Take(heatMaps).ToList();
        var shown = top.Concat(bottom).Select(e => e.ExampleId).ToHashSet(StringComparer.Ordinal);
        var extremes = new ExtremeExamples<(ScoredExampleTokens Tokens, double[] Weights)>(heatMaps);
        var weightsOf = new Dictionary<string, double[]>(StringComparer.Ordinal);

        var ranking = new TokenRankingAccumulator(new TokenRankingOptions { RankCount = 25, MinCount = 3 });
        var sequences = new SequenceRollupAccumulator(rollupOptions);
        var kept = new Dictionary<string, ScoredExampleTokens>(StringComparer.Ordinal);
        long tokens = 0;
        await source.ForEachAsync(request.Queries, [], t =>
        {
            var example = attributes[t.ExampleId];
            var scored = ScoredExampleTokens.Build(t, example.Domain, tagger);
            var weights = ColumnWeights(t, rollup);
            tokens += t.Tokens.Count;
            var groups = t.QueryDomains.Select((d, q) => (Domain: string.IsNullOrEmpty(d) ? RollupPuller.UnnamedDomain : d, q))
                .GroupBy(x => x.Domain, x => x.q, StringComparer.Ordinal).ToList();
            for (var i = 0; i < t.Tokens.Count; i++)
            {
                if (!scored.IsResponse(i)) continue;
                var category = scored.Category(i);
                foreach (var g in groups) ranking.Add(t.Tokens[i], category, g.Average(q => (double)t.Scores[i * scored.QueryCount + q]), g.Key);
            }
            for (var s = 0; s < scored.Map.Sequences.Count; s++)
            {
                var count = scored.Map.TokensOf(s).Count;
                if (count == 0) continue;
                foreach (var g in groups)
                    sequences.Add(new SequenceScoreRecord(t.ExampleId, s, example.Domain, example.Difficulty, g.Key, scored.Tags[s], count,
                        g.Average(q => scored.Map.Score(s, q))));
            }
            if (exact) extremes.Offer(t.ExampleId, Weighted(weights, q => t.ExampleScores[q]), (scored, weights));
            else if (shown.Contains(t.ExampleId)) kept[t.ExampleId] = scored;
            return Task.CompletedTask;
        }, token, meanByDomain: true).ConfigureAwait(false);
        if (exact)
        {
            // The heat-maps show the examples with the highest and lowest exact mean influence over the selected queries.
            top = extremes.Highest.Select(x => new RankedExample(x.Id, attributes[x.Id].Domain, attributes[x.Id].Difficulty, x.Value, (int)x.Item.Weights.Sum())).ToList();
            bottom = extremes.Lowest.Select(x => new RankedExample(x.Id, attributes[x.Id].Domain, attributes[x.Id].Difficulty, x.Value, (int)x.Item.Weights.Sum())).ToList();
            foreach (var x in extremes.Highest.Concat(extremes.Lowest))
            {
                kept[x.Id] = x.Item.Tokens;
                weightsOf[x.Id] = x.Item.Weights;
            }
        }
        var sequenceRollup = sequences.Finish();

        var model = new ReportModel
        {
            Run = new ReportRunInfo
            {
                Title = request.Title.Length > 0 ? request.Title : $"Influence report: {request.Queries.QuerySet}",
                Model = store.Schema.ModelFingerprint,
                Corpus = $"{store.Path} ({store.Examples} examples)",
                QuerySets = [request.Queries.QuerySet],
                QueryDomains = rollup.QueryDomains,
                GroupBy = grouping.Columns,
                DifficultyScheme = DifficultySchemes.Describe(grouping, store),
                Preconditioner = request.Queries.Preconditioner.Length > 0 ? request.Queries.Preconditioner : "none at scoring (queries as registered)",
                TrainingExamples = rollup.Examples.Count,
                TrainingTokens = tokens,
                Queries = rollup.Examples.Count == 0 ? 0 : rollup.Examples.Max(e => rollup.ExampleQueryCount(e.Id, InfluenceRollup.AllQueries)),
                Created = DateTimeOffset.UtcNow,
                Fidelity = exact
                    ? "Roll-up tables: APPROXIMATE (stage 1, compact store). Example lists, heat-maps, sequences and token rankings: EXACT (recomputed in the full space)."
                    : "Every score: APPROXIMATE (stage 1, compact store; no exact rerank was asked for).",
            },
            // "all" too: the cross-domain matrix has an "all" row, and its section should show the same table.
            // Every group present, "unlabelled" and "(none)" included; the all-subgroups cells are the charts' sums, not rows.
            DomainDifficulty = cells.Where(c => !c.AllSubgroups)
                .Select(c => new DomainDifficultyStat(c.QueryDomain, c.Group, c.Difficulty ?? 0, c.Statistics.N, c.Statistics.Mean, c.Statistics.Median,
                    c.Statistics.Sum, c.Statistics.SharePositive, c.Statistics.CiLow, c.Statistics.CiHigh) { Subgroup = c.Subgroup }).ToList(),
            CrossDomain = cells.Where(c => !c.AllSubgroups)
                .Select(c => new CrossDomainCell(c.QueryDomain, c.Group, c.Difficulty ?? 0, c.Statistics.Mean) { Subgroup = c.Subgroup }).ToList(),
            Behaviours = sequenceRollup.BehaviourComparison().Select(b => new BehaviourComparison(b.QueryDomain, b.Tag, b.TaggedN, b.TaggedMeanScore,
                b.TaggedMeanPerToken, b.UntaggedN, b.UntaggedMeanScore, b.UntaggedMeanPerToken, b.PerTokenDifference, b.PerTokenDifferenceCiLow,
                b.PerTokenDifferenceCiHigh)).ToList(),
            TokenRankings = ranking.Results().OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new TokenRankingSection(kv.Key,
                kv.Value.Top.Select(s => new TokenRankingRow(s.Token, Wire.UpperSnake(s.Category), s.Count, s.Mean, s.Sum)).ToList(),
                kv.Value.Categories.Select(c => new TokenCategoryTotal(Wire.UpperSnake(c.Category), c.Count, c.Mean, c.Sum)).ToList())).ToList(),
            TopExamples = top.Where(e => kept.ContainsKey(e.ExampleId)).Select(e => Example(e, kept[e.ExampleId], weightsOf[e.ExampleId])).ToList(),
            BottomExamples = bottom.Where(e => kept.ContainsKey(e.ExampleId)).Select(e => Example(e, kept[e.ExampleId], weightsOf[e.ExampleId])).ToList(),
            TopSequences = rollup.QueryDomains.SelectMany(sequenceRollup.TopSequences).OrderByDescending(s => s.Score).Take(topK)
                .Select(s => new ReportSequence(SequenceText(s, kept), s.Score, s.Tags.Order(StringComparer.Ordinal).ToList())
                {
                    ExampleId = s.ExampleId, Domain = s.TrainingDomain,
                }).ToList(),
        };

        var files = HtmlReportWriter.Write(model, folder);
        var response = new ReportResponse { Html = files.HtmlPath, Folder = folder };
        response.Charts.AddRange(files.Charts.SelectMany(c => new[] { c.SvgPath, c.PngPath }));
        var tokenFidelity = exact ? "exact" : Approximate;
        var tables = Path.Combine(folder, "tables");
        Directory.CreateDirectory(tables);
        foreach (var table in new[]
                 {
                     // Every table says what its scores are: roll-ups of stage 1 are approximate; the token pass is exact by default.
                     RollupTables.Cells("cross_domain", cells).WithConstantColumn("fidelity", Approximate),
                     RollupTables.RankedExamples("ranked_examples", rollup).WithConstantColumn("fidelity", Approximate),
                     RollupTables.ScoredPairs("scored_pairs", rollup).WithConstantColumn("fidelity", Approximate),
                     RollupTables.BehaviourComparison("behaviour_comparison", sequenceRollup.BehaviourComparison()).WithConstantColumn("fidelity", tokenFidelity),
                     RollupTables.Sequences("sequences", sequenceRollup).WithConstantColumn("fidelity", tokenFidelity),
                 })
        {
            var csv = Path.Combine(tables, table.Name + ".csv");
            var parquet = Path.Combine(tables, table.Name + ".parquet");
            CsvTableWriter.WriteFile(table, csv);
            await ParquetTableWriter.WriteFileAsync(table, parquet, token).ConfigureAwait(false);
            response.Tables.Add(csv);
            response.Tables.Add(parquet);
        }
        return response;
    }

    // The example's tokens with their mean score over every selected query (the "all" view the lists rank by); columns
    // weighted by the queries each stands for (one per query, or a domain's count when the columns are domain means).
    private static ReportExample Example(RankedExample e, ScoredExampleTokens t, double[] weights)
    {
        var m = t.QueryCount;
        var tokens = Enumerable.Range(0, t.Scores.Tokens.Count)
            .Select(i => new ReportToken(t.Scores.Tokens[i], Weighted(weights, q => t.Scores.Scores[i * m + q]), t.IsResponse(i))).ToList();
        return new ReportExample(e.ExampleId, e.Domain, e.Difficulty, e.Influence, tokens)
        {
            Sequences = t.Map.Sequences.Select((s, i) => new SequenceBoundary(s.Start, s.Length, Wire.UpperSnake(s.Kind),
                Weighted(weights, q => t.Map.Score(i, q)))).ToList(),
        };
    }

    // How many of the example's scored queries each column stands for: 1 per query column; for a domain-mean column
    // (an exact pass), the queries of that domain.
    private static double[] ColumnWeights(ScoreTokensResponse t, InfluenceRollup rollup) =>
        t.QueryIds.Select((id, q) => t.Fidelity == Contracts.Gradients.V1.ScoreFidelity.Exact && id == t.QueryDomains[q]
            ? Math.Max(1, rollup.ExampleQueryCount(t.ExampleId, string.IsNullOrEmpty(id) ? RollupPuller.UnnamedDomain : id))
            : 1.0).ToArray();

    private static double Weighted(double[] weights, Func<int, double> value)
    {
        double sum = 0, total = 0;
        for (var q = 0; q < weights.Length; q++)
        {
            sum += weights[q] * value(q);
            total += weights[q];
        }
        return sum / total;
    }

    private static string SequenceText(SequenceScoreRecord s, Dictionary<string, ScoredExampleTokens> kept) =>
        kept.TryGetValue(s.ExampleId, out var t) && s.SequenceIndex < t.Map.Sequences.Count
            ? t.Scores.Text.Substring(t.Map.Sequences[s.SequenceIndex].Start, t.Map.Sequences[s.SequenceIndex].Length)
            : $"{s.ExampleId} #{s.SequenceIndex}";
}
