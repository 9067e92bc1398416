namespace Infra.Cli.Terminal;

/// <summary>Where a long step reports how far it is; a no-op under --json.</summary>
internal interface IProgressSink
{
    /// <summary>Total work in examples, once known.</summary>
    void SetTotal(long examples);

    /// <summary>Examples and tokens done so far (cumulative).</summary>
    void Report(long examples, long tokens);
}
