using System.Diagnostics;
using System.Globalization;

namespace Infra.Bench;

/// <summary>
/// The PyTorch peer (<c>bench/peers/capture_peer.py</c>, Debian's python3-torch) as a long-lived child process, so its reps
/// interleave with the harness's own in one run: each <see cref="Run"/> sends one command and returns the wall time of the
/// round trip (the peer's model is built once, before "ready"). Benchmark only: the product never runs Python.
/// </summary>
internal sealed class CapturePeer : IDisposable
{
    private readonly Process _process;

    private CapturePeer(Process process, string banner)
    {
        _process = process;
        Banner = banner;
    }

    /// <summary>What the peer said when ready (its torch version and threads).</summary>
    public string Banner { get; }

    /// <summary>Starts <paramref name="script"/> under <paramref name="python"/> with <paramref name="arguments"/> and waits for "ready".</summary>
    public static CapturePeer Start(string python, string script, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {python} {script}");
        var banner = process.StandardOutput.ReadLine();
        if (banner is null || !banner.StartsWith("ready", StringComparison.Ordinal))
        {
            process.Kill();
            process.Dispose();
            throw new InvalidOperationException($"the peer did not start: '{banner}'");
        }
        return new CapturePeer(process, banner);
    }

    /// <summary>One capture: "full" (logits at every position) or "loss" (at the loss positions only).</summary>
    public void Run(string mode)
    {
        _process.StandardInput.WriteLine(mode);
        _process.StandardInput.Flush();
        var answer = _process.StandardOutput.ReadLine();
        if (answer is null || !double.TryParse(answer, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            throw new InvalidOperationException($"the peer failed on '{mode}': '{answer}'");
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.WriteLine("quit");
            _process.StandardInput.Flush();
            if (!_process.WaitForExit(10_000)) _process.Kill();
        }
        finally
        {
            _process.Dispose();
        }
    }
}
