using System.Globalization;
using System.Text.Json;
using Infra.Core.IO;
using Infra.Aggregation.Clients;
using Infra.Aggregation.Reweighting;
using Infra.Aggregation.Rollups;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Gradients.V1;
using Infra.Core.Errors;
using Infra.Core.Statistics;

namespace Infra.Aggregation.Services;

/// <summary>
/// Reweight: the roll-up streamed from the ScoringService by the request's grouping, each stored example's influence
/// (own-domain queries by default; PAPER_RULE needs none and lists the examples in one pass), the chosen strategy, and the files: weights.jsonl (id, weight), cells.csv (the per-cell summary) and,
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
        var grouping = Grouping.Parse(request.GroupBy);
        if (request.Strategy is not (ReweightStrategy.Unspecified or ReweightStrategy.DifficultyFlip or ReweightStrategy.Proportional
            or ReweightStrategy.TopFraction or ReweightStrategy.PaperRule))
            throw DomainException.InvalidArgument($"unknown reweighting strategy {request.Strategy}", "strategy");
        var (examples, fidelity) = request.Strategy == ReweightStrategy.PaperRule
            ? await RuleExamplesAsync(request, grouping, token).ConfigureAwait(false)
            : await InfluenceExamplesAsync(request, grouping, token).ConfigureAwait(false);

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
                formula = grouping.SubgroupColumn is null
                    ? Invariant($"difficulty flip by {grouping}: z_c = standardised mean influence of group c among all groups; r_c = clamp(exp({flip.Strength} z_c), {flip.MinWeight}, {flip.MaxWeight}); weights rescaled so the corpus keeps its example budget (sum of weights = example count)")
                    : grouping.IsDefault
                    ? Invariant($"difficulty flip: z_c = standardised mean influence of cell c within its domain; r_c = clamp(exp({flip.Strength} z_c), {flip.MinWeight}, {flip.MaxWeight}); weights rescaled so each domain keeps its example budget (sum of weights = its example count)")
                    : Invariant($"difficulty flip by {grouping}: z_c = standardised mean influence of cell c within its {grouping.GroupColumn}; r_c = clamp(exp({flip.Strength} z_c), {flip.MinWeight}, {flip.MaxWeight}); weights rescaled so each {grouping.GroupColumn} keeps its example budget (sum of weights = its example count)");
                break;
            case ReweightStrategy.PaperRule:
                var rule = new PaperRuleOptions
                {
                    HarderDomains = request.HarderDomains.Count > 0 ? [.. request.HarderDomains] : PaperRuleOptions.Default.HarderDomains,
                    EasierDomains = request.EasierDomains.Count > 0 ? [.. request.EasierDomains] : PaperRuleOptions.Default.EasierDomains,
                    Strength = request.Strength == 0 ? PaperRuleOptions.Default.Strength : request.Strength,
                    MinWeight = request.MinWeight == 0 ? PaperRuleOptions.Default.MinWeight : request.MinWeight,
                    MaxWeight = request.MaxWeight == 0 ? PaperRuleOptions.Default.MaxWeight : request.MaxWeight,
                };
                weighted = PaperRule.Compute(examples, rule);
                var levels = grouping.Columns.Contains(Grouping.EstimatedDifficulty) ? "estimated difficulty level (the store's mean-answer-loss bins)" : "difficulty level";
                formula = Invariant($"paper rule (no influence used): z = standardised {levels} within the domain; r = clamp(exp(+{rule.Strength} z), {rule.MinWeight}, {rule.MaxWeight}) in harder domains [{string.Join(", ", rule.HarderDomains)}], clamp(exp(-{rule.Strength} z), {rule.MinWeight}, {rule.MaxWeight}) in easier domains [{string.Join(", ", rule.EasierDomains)}], 1 elsewhere and for unlabelled examples; labelled weights rescaled so each domain keeps its example budget");
                break;
            case ReweightStrategy.Proportional:
                var proportional = new ProportionalWeightOptions { Power = request.Strength == 0 ? 1.0 : request.Strength, Floor = request.MinWeight == 0 ? 0.1 : request.MinWeight };
                weighted = ProportionalWeights.Compute(examples, proportional);
                formula = Invariant($"proportional: w ∝ max(0, I)^{proportional.Power}, floored at {proportional.Floor} of the mean, mean 1");
                break;
            default:
                var fraction = request.Fraction == 0 ? TopFractionSelection.DefaultFraction : request.Fraction;
                weighted = TopFractionSelection.Select(examples, fraction);
                formula = Invariant($"top fraction: the {fraction} most influential examples kept (weight 1), the rest dropped (weight 0)");
                break;
        }

        Directory.CreateDirectory(folder);
        var response = new ReweightResponse { Formula = formula, Fidelity = fidelity, GroupBy = { grouping.Columns } };
        response.Weights.AddRange(weighted.Select(w => new ExampleWeight { Id = w.Example.Id, Weight = w.Weight }));
        foreach (var c in ReweightingSummary.Summarize(weighted))
        {
            response.Cells.Add(new CellWeight
            {
                TrainingDomain = grouping.Columns.Contains(Grouping.Domain) ? c.Domain : "", Difficulty = grouping.Columns.Contains(Grouping.Difficulty) ? c.Difficulty : 0,
                Examples = (uint)c.N, MeanInfluence = c.MeanInfluence,
                Weight = c.MeanWeight, ShareBefore = c.OldShare, ShareAfter = c.NewShare, Group = c.Group, Subgroup = c.Subgroup,
            });
        }

        var weightsPath = Path.Combine(folder, "weights.jsonl");
        await File.WriteAllLinesAsync(weightsPath, weighted.Select(w => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = w.Example.Id, ["domain"] = w.Example.Domain, ["difficulty"] = w.Example.Difficulty, ["weight"] = w.Weight,
        }, ProjectJson.Lines)), token).ConfigureAwait(false);
        var cellsPath = Path.Combine(folder, "cells.csv");
        await File.WriteAllLinesAsync(cellsPath, response.Cells.Select(c => Invariant($"{c.TrainingDomain},{c.Difficulty},{Csv(c.Group)},{Csv(c.Subgroup)},{c.Examples},{c.MeanInfluence:R},{c.Weight:R},{c.ShareBefore:R},{c.ShareAfter:R}"))
            .Prepend("training_domain,difficulty,group,subgroup,examples,mean_influence,mean_weight,share_before,share_after"), token).ConfigureAwait(false);
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

    // The influence-driven strategies: each example's mean influence from the roll-up (stage 1 scores: approximate).
    private async Task<(List<WeightingExample>, ScoreFidelity)> InfluenceExamplesAsync(ReweightRequest request, Grouping grouping, CancellationToken token)
    {
        var (rollup, _) = await new RollupPuller(scoring).PullAsync(request.Queries, grouping, new RollupOptions { Bootstrap = new BootstrapOptions { Cancellation = token } },
            null, token).ConfigureAwait(false);
        var scope = request.QueryDomain switch
        {
            "" => InfluenceScope.OwnDomain,
            InfluenceRollup.AllQueries => InfluenceScope.AllQueries,
            var d => throw DomainException.InvalidArgument($"query_domain must be \"\" (own domain) or \"all\"; '{d}' is neither (the set's domains: {string.Join(", ", rollup.QueryDomains)})", "query_domain"),
        };
        var examples = rollup.Examples.Select(e => Weighing(e, grouping,
            scope == InfluenceScope.AllQueries ? rollup.ExampleInfluence(e.Id, InfluenceRollup.AllQueries)
            : rollup.QueryDomains.Contains(e.Domain) ? rollup.ExampleInfluence(e.Id, e.Domain) : double.NaN)).ToList();
        return (examples, ScoreFidelity.Approximate);
    }

    // PAPER_RULE needs each stored example's domain and difficulty only: one listing pass of the dump, no roll-up. A
    // grouping that names estimated_difficulty makes the rule read the store's estimate instead of the indexed level, so a
    // corpus without labels can still be flipped by the paper's rule.
    private async Task<(List<WeightingExample>, ScoreFidelity)> RuleExamplesAsync(ReweightRequest request, Grouping grouping, CancellationToken token)
    {
        var (examples, _) = await new RollupPuller(scoring).ExamplesAsync(request.Queries, grouping, token).ConfigureAwait(false);
        var estimated = grouping.Columns.Contains(Grouping.EstimatedDifficulty);
        return (examples.Select(e => Weighing(estimated ? e with { Difficulty = EstimatedLevel(e) } : e, grouping, double.NaN)).ToList(), ScoreFidelity.Unspecified);
    }

    private static int EstimatedLevel(ExampleAttributes e) =>
        e.Metadata is not null && e.Metadata.TryGetValue(Grouping.EstimatedDifficulty, out var level) && level.Kind == Core.Metadata.MetadataKind.Int
            ? (int)level.IntValue
            : Core.Metadata.DifficultyScheme.Unlabelled;

    private static WeightingExample Weighing(ExampleAttributes e, Grouping grouping, double influence) => new(e.Id, e.Domain, e.Difficulty, influence)
    {
        Group = Grouping.ValueOf(e, grouping.GroupColumn),
        Subgroup = grouping.SubgroupColumn is { } column ? Grouping.ValueOf(e, column) : "",
    };

    // Group values are free text: quote them when a comma or quote would split the row.
    private static string Csv(string value) => value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
