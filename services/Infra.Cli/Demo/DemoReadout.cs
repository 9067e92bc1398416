using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Infra.Client.Pipeline;
using Infra.Contracts;
using Infra.Contracts.Aggregation.V1;
using Infra.Core.IO;

namespace Infra.Cli.Demo;

/// <summary>
/// The demo's last steps, all through the AggregationService: the domain x difficulty roll-up, token rankings, the
/// HTML report, the difficulty-flip reweighted corpus, and one Influence call on a fresh prompt. Prints a short
/// summary and writes the roll-up and token rankings as JSON next to the report.
/// </summary>
internal sealed class DemoReadout(AggregationService.AggregationServiceClient client, string querySet, string preconditioner, string factorsName, TextWriter output)
{
    // The messages' proto3 JSON with the protos' own (snake_case) field names, as every project file is spelled.
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithIndentation().WithFormatDefaultValues(true).WithPreserveProtoFieldNames(true));

    /// <summary>Runs the read-out; returns the files it wrote (report, tables, weighted corpus, JSON).</summary>
    public async Task<DemoReadoutFiles> RunAsync(string outputFolder, string corpusPath, CancellationToken token)
    {
        // Stage 1 through the store's EK-FAC; the lists, heat-maps, sequences and tokens are reranked exactly (the default).
        var queries = new QuerySelection { QuerySet = querySet, Preconditioner = preconditioner };
        var rollup = await AggregationCalls.AggregateAsync(client, new AggregateRequest { Queries = queries }, null, token).ConfigureAwait(false);
        var rollupPath = Path.Combine(outputFolder, "aggregate.json");
        await File.WriteAllTextAsync(rollupPath, Versioned(rollup), token).ConfigureAwait(false);
        PrintTables(rollup);

        var ranking = await client.TokenRankingAsync(new TokenRankingRequest { Queries = queries, Top = 10, MinCount = 5 }, cancellationToken: token)
            .ConfigureAwait(false);
        var rankingPath = Path.Combine(outputFolder, "token-ranking.json");
        await File.WriteAllTextAsync(rankingPath, Versioned(ranking), token).ConfigureAwait(false);
        PrintTokens(ranking);

        var report = await client.ReportAsync(new ReportRequest
        {
            Queries = queries, OutputFolder = Path.GetFullPath(Path.Combine(outputFolder, "report")), Title = "Influence report: the embedded default",
        }, cancellationToken: token).ConfigureAwait(false);
        output.WriteLine($"[report] {report.Html} ({report.Charts.Count} chart files, {report.Tables.Count} tables)");

        var reweight = await client.ReweightAsync(new ReweightRequest
        {
            Queries = queries, Strategy = ReweightStrategy.DifficultyFlip, CorpusPath = Path.GetFullPath(corpusPath),
            OutputFolder = Path.GetFullPath(Path.Combine(outputFolder, "reweight")), Resample = true,
        }, cancellationToken: token).ConfigureAwait(false);
        PrintWeights(reweight);

        await InfluenceAsync(token).ConfigureAwait(false);
        return new DemoReadoutFiles(report.Html, rollupPath, rankingPath, reweight.Files);
    }

    // One line per (query domain, training domain): mean influence per difficulty 1..5, then over all difficulties.
    private void PrintTables(AggregateResult rollup)
    {
        output.WriteLine($"[aggregate] {rollup.Examples} examples x {rollup.Queries} queries, {Label(rollup.Fidelity)}; {rollup.Note}");
        output.WriteLine("[aggregate] mean influence by query domain <- training domain, difficulty 1..5 | all (n):");
        foreach (var table in rollup.Tables.Where(t => t.QueryDomain != "all"))
        {
            foreach (var domain in table.Cells.Select(c => c.TrainingDomain).Distinct())
            {
                var cells = table.Cells.Where(c => c.TrainingDomain == domain).ToList();
                var byDifficulty = string.Join(" ", cells.Where(c => c.Difficulty > 0).Select(c => Format(c.Statistics.Mean)));
                var all = cells.FirstOrDefault(c => c.Difficulty == 0)?.Statistics;
                output.WriteLine($"            {table.QueryDomain,-4} <- {domain,-4}  {byDifficulty} | {Format(all?.Mean ?? double.NaN)} ({all?.N})");
            }
        }
    }

    private void PrintTokens(TokenRankingResponse ranking)
    {
        foreach (var domain in ranking.Domains)
        {
            var top = string.Join(", ", domain.Top.Take(8).Select(t => $"'{Visible(t.Token)}' ({WireEnum.Name(t.Category).ToLowerInvariant()})"));
            var categories = string.Join(", ", domain.Categories.OrderByDescending(c => c.Mean).Take(3).Select(c => $"{WireEnum.Name(c.Category).ToLowerInvariant()} {Format(c.Mean)}"));
            output.WriteLine($"[tokens] {domain.QueryDomain} queries, {Label(ranking.Fidelity)}: top tokens {top}; categories by mean: {categories}");
        }
    }

    private void PrintWeights(ReweightResponse reweight)
    {
        output.WriteLine($"[reweight] {reweight.Formula}");
        var cells = reweight.Cells.Select(c => $"{c.TrainingDomain}-{c.Difficulty} {c.Weight.ToString("F2", CultureInfo.InvariantCulture)}");
        output.WriteLine($"[reweight] cell weights: {string.Join(", ", cells)}");
        output.WriteLine($"[reweight] {string.Join(", ", reweight.Files)}");
    }

    // The call other services make: a new prompt, answered by the model itself, attributed down to tokens.
    private async Task InfluenceAsync(CancellationToken token)
    {
        var response = await client.InfluenceAsync(new InfluenceRequest
        {
            Prompt = new PromptQuery { Prompt = "What is 17 + 25?", Domain = "math" }, FactorsName = factorsName, Preconditioner = preconditioner,
            TopExamples = 3, TopTokens = 5,
        }, deadline: DateTime.UtcNow.AddMinutes(2), cancellationToken: token).ConfigureAwait(false);
        var best = response.Examples.FirstOrDefault();
        var tokens = string.Join(", ", response.Tokens.Take(5).Select(t => $"'{Visible(t.Token)}' in {t.ExampleId}"));
        output.WriteLine($"[influence] 'What is 17 + 25?' -> model answers '{Visible(response.Answer)}' (f = {response.Measurement:F3}); "
            + $"{Label(response.Fidelity)} after reranking {response.Candidates} candidates: most helpful example {best?.Id} ({Format(best?.Score ?? double.NaN)}); top tokens {tokens}");
    }

    private static string Label(Contracts.Gradients.V1.ScoreFidelity fidelity) =>
        fidelity == Contracts.Gradients.V1.ScoreFidelity.Exact ? "EXACT" : "APPROXIMATE";

    // The message's JSON with format_version 1 as its first key.
    private static string Versioned(IMessage message)
    {
        var body = JsonNode.Parse(Json.Format(message))!.AsObject();
        var document = new JsonObject { [ProjectJson.FormatVersionKey] = 1 };
        foreach (var (key, node) in body.ToList())
        {
            body.Remove(key);
            document[key] = node;
        }
        return document.ToJsonString(ProjectJson.Options);
    }

    private static string Format(double value) => value.ToString("G3", CultureInfo.InvariantCulture);

    private static string Visible(string text) => text.Replace("\n", "\\n", StringComparison.Ordinal);
}

/// <summary>What the demo's read-out wrote.</summary>
internal sealed record DemoReadoutFiles(string Report, string Rollup, string TokenRanking, IReadOnlyList<string> Reweighting);
