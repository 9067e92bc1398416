using System.CommandLine;

namespace Infra.Cli.Experiment;

/// <summary><c>infra experiment</c>: experiments that test what the attributions predict.</summary>
internal static class ExperimentCommand
{
    /// <summary>The <c>experiment</c> command group with <c>difficulty-flip</c>.</summary>
    public static Command Create()
    {
        var defaults = new ExperimentOptions();
        var outOption = new Option<string>("--out") { Description = "Run folder (resumed when it holds a run with the same arguments)", DefaultValueFactory = _ => defaults.OutputPath };
        var defaultOption = new Option<string?>("--default-model") { Description = "Output of `infra lab build-default`: the influence model, its tokenizer and query sets; defaults to models/default" };
        var seedsOption = new Option<int?>("--seeds") { Description = "Seeds per condition (1..N); defaults to 3 (1 with --quick)" };
        var quickOption = new Option<bool>("--quick") { Description = "A tiny corpus, model and run (seconds), for tests" };
        var reportOption = new Option<bool>("--report-only") { Description = "Train nothing: write the tables of the runs already complete in the folder" };
        var overwriteOption = new Option<bool>("--overwrite") { Description = "Delete a run folder made with other arguments instead of refusing it" };
        var flip = new Command("difficulty-flip", "Baseline SFT vs difficulty-flip reweighting vs exploration ablation: held-out accuracy by domain and difficulty over seeds");
        foreach (var option in new Option[] { outOption, defaultOption, seedsOption, quickOption, reportOption, overwriteOption }) flip.Options.Add(option);
        flip.SetAction(async (parse, token) =>
        {
            var seeds = parse.GetValue(seedsOption);
            if (seeds is < 1)
            {
                await Console.Error.WriteLineAsync("--seeds must be at least 1").ConfigureAwait(false);
                return 2;
            }
            return await new DifficultyFlipExperiment(new ExperimentOptions
            {
                OutputPath = parse.GetValue(outOption)!,
                DefaultModelFolder = parse.GetValue(defaultOption) ?? defaults.DefaultModelFolder,
                Seeds = seeds,
                Quick = parse.GetValue(quickOption),
                ReportOnly = parse.GetValue(reportOption),
                Overwrite = parse.GetValue(overwriteOption),
            }, Console.Out).RunAsync(token).ConfigureAwait(false);
        });
        var experiment = new Command("experiment", "Experiments that test what the attributions predict");
        experiment.Subcommands.Add(flip);
        return experiment;
    }
}
