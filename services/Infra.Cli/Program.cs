using System.CommandLine;
using Infra.Cli.Commands;
using Infra.Cli.Demo;
using Infra.Cli.Experiment;
using Infra.Cli.Lab;
using Infra.Cli.Terminal;
using Infra.Cli.Validate;

var root = new RootCommand("infra: influence-based attribution of an LLM's math and code reasoning to its training data");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(LabCommand.Create());
root.Subcommands.Add(ExperimentCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
var context = CliContext.FromProcess();
InfraCommands.AddTo(root, context);
return await InfraCommands.InvokeAsync(root, args, context).ConfigureAwait(false);
