using System.CommandLine;
using Infra.Cli.Commands;
using Infra.Cli.Demo;
using Infra.Cli.Experiment;
using Infra.Cli.Lab;
using Infra.Cli.Terminal;
using Infra.Cli.Validate;

var modelOption = new Option<string?>("--model") { Description = "HF checkpoint folder (written with a seeded tiny Qwen2 model when absent); defaults to models/default/model, or a seeded untrained model when that is not built" };
var outOption = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => new DemoOptions().OutputPath };
var deviceOption = new Option<string>("--device") { Description = "cpu, cuda or auto", DefaultValueFactory = _ => "auto" };
var examplesOption = new Option<int>("--examples") { Description = "Training examples", DefaultValueFactory = _ => new DemoOptions().Examples };

var demo = new Command("demo", "Run the whole pipeline on the embedded default over real gRPC on loopback");
demo.Options.Add(modelOption);
demo.Options.Add(outOption);
demo.Options.Add(deviceOption);
demo.Options.Add(examplesOption);
demo.SetAction(async (parse, token) =>
{
    var options = new DemoOptions
    {
        ModelPath = parse.GetValue(modelOption),
        OutputPath = parse.GetValue(outOption)!,
        Device = parse.GetValue(deviceOption)!,
        Examples = parse.GetValue(examplesOption),
    };
    if (options.Examples < 2)
    {
        await Console.Error.WriteLineAsync("--examples must be at least 2").ConfigureAwait(false);
        return 2;
    }
    return await new DemoPipeline(options, Console.Out).RunAsync(token).ConfigureAwait(false);
});

var root = new RootCommand("infra: influence-based attribution of an LLM's math and code reasoning to its training data");
root.Subcommands.Add(demo);
root.Subcommands.Add(LabCommand.Create());
root.Subcommands.Add(ExperimentCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
var context = CliContext.FromProcess();
InfraCommands.AddTo(root, context);
return await InfraCommands.InvokeAsync(root, args, context).ConfigureAwait(false);
