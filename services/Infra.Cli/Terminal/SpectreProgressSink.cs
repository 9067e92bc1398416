using Infra.Client.Pipeline;
using Spectre.Console;

namespace Infra.Cli.Terminal;

/// <summary>Feeds a Spectre progress task: value = examples, state = tokens (shown by <see cref="ThroughputColumn"/>).</summary>
internal sealed class SpectreProgressSink(ProgressTask task) : IProgressSink
{
    public void SetTotal(long examples)
    {
        task.MaxValue = Math.Max(examples, 1);
        task.IsIndeterminate = false;
    }

    public void Report(long examples, long tokens)
    {
        task.State.Update<double>(ThroughputColumn.TokensKey, _ => tokens);
        task.Value = examples;
    }
}
