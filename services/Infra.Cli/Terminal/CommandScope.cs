using System.CommandLine;
using System.Diagnostics;
using Infra.Cli.Configuration;
using Infra.Cli.Connections;
using Infra.Client.Pipeline;
using Spectre.Console;

namespace Infra.Cli.Terminal;

/// <summary>One command's run: its parse result, settings, connections, output mode and cancellation.</summary>
internal sealed class CommandScope(ParseResult parse, CliSettings settings, bool json, CliContext context, CancellationToken token) : IDisposable
{
    private IAnsiConsole? _console;
    private ServiceConnections? _connections;

    public ParseResult Parse { get; } = parse;
    public CliSettings Settings { get; } = settings;

    /// <summary>Whether --json was given: stdout gets one JSON document and nothing else.</summary>
    public bool Json { get; } = json;

    public CliContext Context { get; } = context;
    public CancellationToken Token { get; } = token;

    /// <summary>Rich human output on stdout (only used without --json).</summary>
    public IAnsiConsole Console => _console ??= Context.CreateConsole();

    /// <summary>Channels to the configured services.</summary>
    public ServiceConnections Services => _connections ??= new ServiceConnections(Settings, Context.Error);

    /// <summary>A line of human output (suppressed under --json).</summary>
    public void Say(string markup)
    {
        if (!Json) Console.MarkupLine(markup);
    }

    /// <summary>Writes the command's JSON document (under --json only).</summary>
    public void WriteJson(object document)
    {
        if (Json) Context.Out.WriteLine(JsonOutput.Serialize(document));
    }

    /// <summary>
    /// Runs <paramref name="step"/> under a progress bar (examples, examples/s, tokens/s, ETA) without --json, and with
    /// a no-op sink under --json.
    /// </summary>
    public async Task<T> WithProgressAsync<T>(string description, long total, Func<IProgressSink, Task<T>> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (Json) return await step(NullProgressSink.Instance).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var result = await Console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ThroughputColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description), maxValue: Math.Max(total, 1));
                var value = await step(new SpectreProgressSink(task)).ConfigureAwait(false);
                task.Value = task.MaxValue;
                task.StopTask();
                return value;
            }).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="step"/> under a spinner whose text the step updates (for work whose total is not known
    /// ahead, e.g. a streamed roll-up); without a spinner under --json or when output is not a terminal.
    /// </summary>
    public async Task<T> WithStatusAsync<T>(string description, Func<Action<string>, Task<T>> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (Json || !Context.Interactive) return await step(_ => { }).ConfigureAwait(false);
        return await Console.Status().StartAsync(Markup.Escape(description), ctx => step(text => ctx.Status = Markup.Escape(text))).ConfigureAwait(false);
    }

    public void Dispose() => _connections?.Dispose();
}
