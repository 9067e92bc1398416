namespace Infra.Client.Pipeline;

/// <summary>Where a long pipeline step (indexing, a factor fit) reports how far it is.</summary>
public interface IProgressSink
{
    /// <summary>Total work in examples, once known.</summary>
    void SetTotal(long examples);

    /// <summary>Examples and tokens done so far (cumulative).</summary>
    void Report(long examples, long tokens);
}
