using System.CommandLine;

namespace Infra.Cli.Lab;

/// <summary><c>infra lab</c>: building the models the rest of the pipeline measures.</summary>
internal static class LabCommand
{
    /// <summary>The <c>lab</c> command group with <c>build-default</c> and <c>mixture</c>.</summary>
    public static Command Create()
    {
        var defaults = new DefaultModelOptions();
        var outOption = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => defaults.OutputPath };
        var seedOption = new Option<int>("--seed") { Description = "Seed of the corpus, the initial weights and the data order", DefaultValueFactory = _ => defaults.Seed };
        var quickOption = new Option<bool>("--quick") { Description = "A tiny corpus, model and run (seconds), for tests" };
        var build = new Command("build-default", "Build the embedded default model: corpus, tokenizer, training, held-out accuracy, query sets, bf16 checkpoint");
        build.Options.Add(outOption);
        build.Options.Add(seedOption);
        build.Options.Add(quickOption);
        build.SetAction(parse => new DefaultModelBuilder(new DefaultModelOptions
        {
            OutputPath = parse.GetValue(outOption)!,
            Seed = parse.GetValue(seedOption),
            Quick = parse.GetValue(quickOption),
        }, Console.Out).Run());
        var lab = new Command("lab", "The model lab");
        lab.Subcommands.Add(build);
        lab.Subcommands.Add(MixtureCommand.Create());
        return lab;
    }
}
