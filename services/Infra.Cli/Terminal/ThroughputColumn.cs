using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Infra.Cli.Terminal;

/// <summary>A progress column with examples/s (Spectre's own speed estimate of the task's value) and tokens/s.</summary>
internal sealed class ThroughputColumn : ProgressColumn
{
    /// <summary>The task state key holding cumulative tokens.</summary>
    public const string TokensKey = "tokens";

    /// <summary>The task state key holding the step's start (ticks of <see cref="System.Diagnostics.Stopwatch"/>).</summary>
    public const string StartKey = "start";

    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        ArgumentNullException.ThrowIfNull(task);
        var elapsed = task.ElapsedTime?.TotalSeconds ?? 0;
        var tokens = task.State.Get<double>(TokensKey);
        var examplesPerSecond = task.Speed ?? (elapsed > 0 ? task.Value / elapsed : 0);
        var tokensPerSecond = elapsed > 0 ? tokens / elapsed : 0;
        return new Text(string.Create(CultureInfo.InvariantCulture, $"{examplesPerSecond,7:F1} ex/s {tokensPerSecond,8:F0} tok/s"), new Style(Color.Grey));
    }
}
