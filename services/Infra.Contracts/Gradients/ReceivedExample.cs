using Infra.Contracts.Gradients.V1;

namespace Infra.Contracts.Gradients;

/// <summary>
/// One example's gradient-stream messages reassembled: the header and, per (layer, kind), the
/// decoded fp32 row-major matrix.
/// </summary>
public sealed class ReceivedExample
{
    internal ReceivedExample(ExampleHeader header) => Header = header;

    /// <summary>Tokens, losses, offsets and pass-through metadata.</summary>
    public ExampleHeader Header { get; }

    /// <summary>Decoded factors by (layer index, kind); each is <c>rows x cols</c> row-major.</summary>
    public Dictionary<(int Layer, FactorKind Kind), float[]> Factors { get; } = [];

    /// <summary>Column count of each entry of <see cref="Factors"/>.</summary>
    public Dictionary<(int Layer, FactorKind Kind), int> Columns { get; } = [];

    /// <summary>Payload bytes received for this example (factor data and scales).</summary>
    public long PayloadBytes { get; internal set; }
}
