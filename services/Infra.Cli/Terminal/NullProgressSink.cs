using Infra.Client.Pipeline;
namespace Infra.Cli.Terminal;

/// <summary>Progress under --json: stdout carries only the final document.</summary>
internal sealed class NullProgressSink : IProgressSink
{
    public static readonly NullProgressSink Instance = new();

    public void SetTotal(long examples)
    {
    }

    public void Report(long examples, long tokens)
    {
    }
}
