using System.CommandLine;
using Infra.Cli.Terminal;

namespace Infra.Cli.Demo;

/// <summary><c>infra demo</c>: the whole pipeline on the embedded default, over real gRPC on loopback (<see cref="DemoPipeline"/>).</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var defaults = new DemoOptions();
        var modelOption = new Option<string?>("--model") { Description = "HF checkpoint folder (written with a seeded tiny Qwen2 model when absent); defaults to models/default/model, or a seeded untrained model when that is not built" };
        var outOption = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => defaults.OutputPath };
        var deviceOption = new Option<string>("--device") { Description = "cpu, cuda or auto", DefaultValueFactory = _ => "auto" };
        var examplesOption = new Option<int>("--examples") { Description = "Training examples", DefaultValueFactory = _ => defaults.Examples };

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
                return ExitCodes.Usage;
            }
            return await new DemoPipeline(options, Console.Out).RunAsync(token).ConfigureAwait(false);
        });
        return demo;
    }
}
