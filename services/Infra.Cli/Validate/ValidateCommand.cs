using System.CommandLine;
using Infra.Validation.Exact;
using Infra.Validation.Fidelity;
using Infra.Validation.Lds;
using Infra.Core.Errors;

namespace Infra.Cli.Validate;

/// <summary><c>infra validate</c>: evidence that the attributions predict retraining.</summary>
internal static class ValidateCommand
{
    /// <summary>Format of the exact comparison's results.json: 2 (format 1, with no version, used the C# names).</summary>
    private const int ExactResultsVersion = 2;

    /// <summary>The <c>validate</c> command group with <c>lds</c>, <c>exact</c> and <c>fidelity</c>.</summary>
    public static Command Create()
    {
        var validate = new Command("validate", "Check the influence scores against retraining");
        validate.Subcommands.Add(Lds());
        validate.Subcommands.Add(Exact());
        validate.Subcommands.Add(Fidelity());
        return validate;
    }

    private static string DefaultTokenizer() =>
        RepositoryRoot.Find() is { } root ? Path.Combine(root, "models", "default", "model") : Path.Combine("models", "default", "model");

    private static Command Exact()
    {
        var outOption = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => Path.Combine("artifacts", "validate", "exact") };
        var tokenizerOption = new Option<string?>("--tokenizer") { Description = "Folder with tokenizer.json and tokenizer_config.json; defaults to models/default/model of this checkout" };
        var exact = new Command("exact", "Compare every approximation with exact damped influence (dense Fisher, explicit inverse) on a tiny model");
        exact.Options.Add(outOption);
        exact.Options.Add(tokenizerOption);
        exact.SetAction(parse =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var folder = parse.GetValue(outOption)!;
            Directory.CreateDirectory(folder);
            var options = new ExactComparisonOptions { TokenizerFolder = parse.GetValue(tokenizerOption) ?? DefaultTokenizer() };
            var rows = ExactComparison.Run(options, Path.Combine(folder, "stores"));
            Directory.Delete(Path.Combine(folder, "stores"), recursive: true);
            var table = ExactComparison.Markdown(rows, options.TopK);
            File.WriteAllText(Path.Combine(folder, "results.json"), Infra.Core.IO.ProjectJson.Serialize(new { options, rows }, ExactResultsVersion));
            File.WriteAllText(Path.Combine(folder, "results.md"), table);
            Console.Write(table);
            Console.WriteLine($"[exact] {clock.Elapsed.TotalSeconds:F0} s; results in {folder}");
            return 0;
        });
        return exact;
    }

    private static Command Fidelity()
    {
        var defaults = new FidelityOptions();
        var outOption = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => Path.Combine("artifacts", "validate", "fidelity") };
        var quickOption = new Option<bool>("--quick") { Description = "48 examples, 2 queries, 1 seed, k = 8 and 16: seconds, for tests (the options below are ignored)" };
        var seedsOption = new Option<int>("--seeds") { Description = "Projection seeds per k", DefaultValueFactory = _ => defaults.Seeds };
        var examplesOption = new Option<int>("--examples") { Description = "Training examples from the default model's training split", DefaultValueFactory = _ => defaults.Examples };
        var queriesOption = new Option<int>("--queries") { Description = "Correctly answered held-out queries", DefaultValueFactory = _ => defaults.Queries };
        var dimsOption = new Option<int[]>("--dims") { Description = "Projection sizes k", DefaultValueFactory = _ => [.. defaults.Dims], AllowMultipleArgumentsPerToken = true };
        var threadsOption = new Option<int>("--threads") { Description = "libtorch threads; 0 keeps libtorch's default", DefaultValueFactory = _ => 0 };
        var fidelity = new Command("fidelity", "Stage-1 scoring paths against exact full-space EK-FAC influence on the default model: Spearman, top-k overlap, recall of the exact top/bottom within the top/bottom N, bytes per example");
        foreach (var option in new Option[] { outOption, quickOption, seedsOption, examplesOption, queriesOption, dimsOption, threadsOption })
            fidelity.Options.Add(option);
        fidelity.SetAction(parse =>
        {
            var modelFolder = DefaultTokenizer();
            var queriesFolder = Path.GetDirectoryName(modelFolder)!;
            var options = parse.GetValue(quickOption)
                ? FidelityOptions.Quick(modelFolder, queriesFolder)
                : defaults with
                {
                    ModelFolder = modelFolder,
                    QueriesFolder = queriesFolder,
                    Seeds = parse.GetValue(seedsOption),
                    Examples = parse.GetValue(examplesOption),
                    Queries = parse.GetValue(queriesOption),
                    Dims = parse.GetValue(dimsOption)!,
                };
            if (parse.GetValue(threadsOption) is > 0 and var threads) TorchSharp.torch.set_num_threads(threads);
            try
            {
                var folder = parse.GetValue(outOption)!;
                var results = new FidelityRun(options, folder, Console.Out).Run();
                Console.Write(FidelityMarkdown.Render(results));
                Console.WriteLine($"[fidelity] {results.WallSeconds:F0} s; results in {folder}");
                return 0;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FileNotFoundException or DomainException)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }
        });
        return fidelity;
    }

    private static Command Lds()
    {
        var defaults = new LdsOptions();
        var outOption = new Option<string>("--out") { Description = "Run folder (resumable)", DefaultValueFactory = _ => Path.Combine("artifacts", "validate", "lds") };
        var tokenizerOption = new Option<string?>("--tokenizer") { Description = "Folder with tokenizer.json and tokenizer_config.json; defaults to models/default/model of this checkout" };
        var quickOption = new Option<bool>("--quick") { Description = "6 tiny models in well under a minute, for tests (the options below are ignored)" };
        var overwriteOption = new Option<bool>("--overwrite") { Description = "Replace a run folder made with other arguments" };
        var subsetsOption = new Option<int>("--subsets") { Description = "Models retrained on random subsets", DefaultValueFactory = _ => defaults.Subsets };
        var noiseOption = new Option<int>("--noise-subsets") { Description = "Subsets retrained again with another data order (retraining noise)", DefaultValueFactory = _ => defaults.NoiseSubsets };
        var examplesOption = new Option<int>("--train-examples") { Description = "Training examples", DefaultValueFactory = _ => defaults.TrainExamples };
        var queriesOption = new Option<int>("--queries") { Description = "Held-out query problems", DefaultValueFactory = _ => defaults.Queries };
        var stepsOption = new Option<int>("--steps") { Description = "Optimizer steps of every model", DefaultValueFactory = _ => defaults.Steps };
        var hiddenOption = new Option<int>("--hidden") { Description = "Model width", DefaultValueFactory = _ => defaults.HiddenSize };
        var layersOption = new Option<int>("--layers") { Description = "Decoder layers", DefaultValueFactory = _ => defaults.Layers };
        var lrOption = new Option<double>("--learning-rate") { Description = "Peak learning rate", DefaultValueFactory = _ => defaults.LearningRate };
        var threadsOption = new Option<int>("--threads") { Description = "libtorch threads; 1 avoids spin-waiting on a shared machine, 0 keeps libtorch's default", DefaultValueFactory = _ => 1 };
        var workerOption = new Option<string?>("--worker") { Description = "i/n: share the retraining with n processes on the same run folder (this is worker i, 0-based)" };
        var dimsOption = new Option<int[]>("--dims") { Description = "Projection sizes k (the full space is always added)", DefaultValueFactory = _ => [.. defaults.ProjectionDims], AllowMultipleArgumentsPerToken = true };
        var lds = new Command("lds", "Linear datamodeling score: retrain on random subsets and correlate the summed influence scores with the measured f");
        foreach (var option in new Option[] { outOption, tokenizerOption, quickOption, overwriteOption, subsetsOption, noiseOption, examplesOption, queriesOption, stepsOption, hiddenOption, layersOption, lrOption, dimsOption, threadsOption, workerOption })
            lds.Options.Add(option);
        lds.SetAction((parse, token) =>
        {
            var tokenizer = parse.GetValue(tokenizerOption) ?? DefaultTokenizer();
            var options = parse.GetValue(quickOption)
                ? LdsOptions.Quick(tokenizer)
                : new LdsOptions
                {
                    TokenizerFolder = tokenizer,
                    Subsets = parse.GetValue(subsetsOption),
                    NoiseSubsets = parse.GetValue(noiseOption),
                    TrainExamples = parse.GetValue(examplesOption),
                    Queries = parse.GetValue(queriesOption),
                    Steps = parse.GetValue(stepsOption),
                    HiddenSize = parse.GetValue(hiddenOption),
                    Layers = parse.GetValue(layersOption),
                    LearningRate = parse.GetValue(lrOption),
                    ProjectionDims = parse.GetValue(dimsOption)!,
                };
            if (parse.GetValue(threadsOption) is > 0 and var threads) TorchSharp.torch.set_num_threads(threads);
            try
            {
                options.Validate();
                (int, int)? worker = null;
                if (parse.GetValue(workerOption) is { } w)
                {
                    var parts = w.Split('/');
                    if (parts.Length != 2 || !int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var i)
                        || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var n))
                        throw new ArgumentException($"--worker takes i/n, e.g. 0/3; got '{w}'");
                    worker = (i, n);
                }
                new LdsRun(options, parse.GetValue(outOption)!, Console.Out) { Worker = worker }.Run(parse.GetValue(overwriteOption), token);
                return Task.FromResult(0);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or DomainException)
            {
                Console.Error.WriteLine(ex.Message);
                return Task.FromResult(2);
            }
        });
        return lds;
    }
}
