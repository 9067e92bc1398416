namespace Infra.Cli.Connections;

/// <summary>The three services the CLI talks to.</summary>
internal enum ServiceKind
{
    Gradients,
    Scoring,
    Aggregation,
}
