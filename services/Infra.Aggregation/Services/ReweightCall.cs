using System.Globalization;
using System.Text.Json;
using Infra.Core.IO;
using Infra.Aggregation.Clients;
using Infra.Aggregation.Reweighting;
using Infra.Aggregation.Rollups;
using Infra.Contracts.Aggregation.V1;
using Infra.Core.Errors;
using Infra.Core.Statistics;

namespace Infra.Aggregation.Services;

/// <summary>
/// Reweight: the roll-up streamed from the ScoringService, each stored example's influence (own-domain queries by
/// default), the chosen strategy, and the files: weights.jsonl (id, weight), cells.csv (the per-cell summary) and,
/// with a corpus, weighted-corpus.jsonl (every original field plus "weight") and resampled-corpus.jsonl.
/// </summary>
internal sealed class ReweightCall(ScoringPuller scoring, AggregationServiceOptions options)
{
    public async Task<ReweightResponse> RunAsync(ReweightRequest request, CancellationToken token)
    {
        Selections.Validate(request.Queries);
        if (request.Fraction < 0 || request.Fraction > 1) throw DomainException.InvalidArgument($"fraction must be in (0, 1] (0 = 0.5); it is {request.Fraction}", "fraction");
        if (request.Strength < 0 || request.MinWeight < 0 || request.MaxWeight < 0)
            throw DomainException.InvalidArgument("strength, min_weight and max_weight must not be negative (0 = the default)", "strength");
        var corpus = request.CorpusPath.Length > 0 ? ServerPaths.Under(options.CorpusRoot, request.CorpusPath, "corpus_path") : "";
        if (corpus.Length > 0 && !File.Exists(corpus))
            throw DomainException.InvalidArgument($"corpus_path '{request.CorpusPath}' does not exist", "corpus_path");
        var folder = ServerPaths.Under(options.OutputRoot, request.OutputFolder.Length > 0 ? request.OutputFolder : "reweight-" + request.Queries.QuerySet, "output_folder");
        var rollup = await new RollupPuller(scoring).PullAsync(request.Queries, new RollupOptions { Bootstrap = new BootstrapOptions { Cancellation = token } }, null, token).ConfigureAwait(false);
        var scope = request.QueryDomain switch
        {
            "" => InfluenceScope.OwnDomain,
            InfluenceRollup.AllQueries => InfluenceScope.AllQueries,
            var d => throw DomainException.InvalidArgument($"query_domain must be \"\" (own domain) or \"all\"; '{d}' is neither (the set's domains: {string.Join(", ", rollup.QueryDomains)})", "query_domain"),
        };
        var examples = rollup.Examples.Select(e => new WeightingExample(e.Id, e.Domain, e.Difficulty,
            scope == InfluenceScope.AllQueries ? rollup.ExampleInfluence(e.Id, InfluenceRollup.AllQueries)
            : rollup.QueryDomains.Contains(e.Domain) ? rollup.ExampleInfluence(e.Id, e.Domain) : double.NaN)).ToList();

        IReadOnlyList<WeightedExample> weighted;
        string formula;
        switch (request.Strategy)
        {
            case ReweightStrategy.Unspecified or ReweightStrategy.DifficultyFlip:
                var flip = new DifficultyFlipOptions
                {
                    Strength = request.Strength == 0 ? DifficultyFlipOptions.Default.Strength : request.Strength,
                    MinWeight = request.MinWeight == 0 ? DifficultyFlipOptions.Default.MinWeight : request.MinWeight,
                    MaxWeight = request.MaxWeight == 0 ? DifficultyFlipOptions.Default.MaxWeight : request.MaxWeight,
                };
                weighted = DifficultyFlip.Compute(examples, flip).Examples;
                formula = Invariant($"difficulty flip: z_c = standardised mean influence of cell c within its domain; r_c = clamp(exp({flip.Strength} z_c), {flip.MinWeight}, {flip.MaxWeight}); weights rescaled so each domain keeps its example budget (sum of weights = its example count)");
                break;
            case ReweightStrategy.Proportional:
                var proportional = new ProportionalWeightOptions { Power = request.Strength == 0 ? 1.0 : request.Strength, Floor = request.MinWeight == 0 ? 0.1 : request.MinWeight };
                weighted = ProportionalWeights.Compute(examples, proportional);
                formula = Invariant($"proportional: w ∝ max(0, I)^{proportional.Power}, floored at {proportional.Floor} of the mean, mean 1");
                break;
            case ReweightStrategy.TopFraction:
                var fraction = request.Fraction == 0 ? TopFractionSelection.DefaultFraction : request.Fraction;
                weighted = TopFractionSelection.Select(examples, fraction);
                formula = Invariant($"top fraction: the {fraction} most influential examples kept (weight 1), the rest dropped (weight 0)");
                break;
            default:
                throw DomainException.InvalidArgument($"unknown reweighting strategy {request.Strategy}", "strategy");
        }

        Directory.CreateDirectory(folder);
        // Weights come from roll-ups over every example: stage 1 (compact store) scores.
        var response = new ReweightResponse { Formula = formula, Fidelity = Contracts.Gradients.V1.ScoreFidelity.Approximate };
        response.Weights.AddRange(weighted.Select(w => new ExampleWeight { Id = w.Example.Id, Weight = w.Weight }));
        foreach (var c in ReweightingSummary.Summarize(weighted))
        {
            response.Cells.Add(new CellWeight
            {
                TrainingDomain = c.Domain, Difficulty = c.Difficulty, Examples = (uint)c.N, MeanInfluence = c.MeanInfluence,
                Weight = c.MeanWeight, ShareBefore = c.OldShare, ShareAfter = c.NewShare,
            });
        }

        var weightsPath = Path.Combine(folder, "weights.jsonl");
        await File.WriteAllLinesAsync(weightsPath, weighted.Select(w => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = w.Example.Id, ["domain"] = w.Example.Domain, ["difficulty"] = w.Example.Difficulty, ["weight"] = w.Weight,
        }, ProjectJson.Lines)), token).ConfigureAwait(false);
        var cellsPath = Path.Combine(folder, "cells.csv");
        await File.WriteAllLinesAsync(cellsPath, response.Cells.Select(c => Invariant($"{c.TrainingDomain},{c.Difficulty},{c.Examples},{c.MeanInfluence:R},{c.Weight:R},{c.ShareBefore:R},{c.ShareAfter:R}"))
            .Prepend("training_domain,difficulty,examples,mean_influence,mean_weight,share_before,share_after"), token).ConfigureAwait(false);
        response.Files.Add(weightsPath);
        response.Files.Add(cellsPath);
        if (corpus.Length > 0)
        {
            var weights = WeightedCorpus.ById(weighted);
            var corpusPath = Path.Combine(folder, "weighted-corpus.jsonl");
            using (var reader = new StreamReader(corpus))
            await using (var writer = new StreamWriter(corpusPath))
                WeightedCorpus.WriteJsonl(reader, weights, writer);
            response.Files.Add(corpusPath);
            if (request.Resample)
            {
                var copies = CorpusResampler.ById(weighted, CorpusResampler.Draw(weighted, request.Seed));
                var resampledPath = Path.Combine(folder, "resampled-corpus.jsonl");
                using (var reader = new StreamReader(corpus))
                await using (var writer = new StreamWriter(resampledPath))
                    CorpusResampler.WriteJsonl(reader, copies, writer);
                response.Files.Add(resampledPath);
            }
        }
        return response;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
