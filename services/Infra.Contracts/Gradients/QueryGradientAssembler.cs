using Infra.Contracts.Gradients.V1;
using Infra.Core.Compression;

namespace Infra.Contracts.Gradients;

/// <summary>Reassembles ComputeQueryGradients chunks: per query id, per layer, the decoded <c>k_out x k_in</c> matrix.</summary>
public sealed class QueryGradientAssembler
{
    /// <summary>Query id ("" for an aggregate) to layer index to matrix.</summary>
    public Dictionary<string, Dictionary<int, float[]>> Gradients { get; } = [];

    /// <summary>Query id to its measurement f.</summary>
    public Dictionary<string, float> Measurements { get; } = [];

    /// <summary>Query id to whether EK-FAC preconditioning was applied.</summary>
    public Dictionary<string, bool> Preconditioned { get; } = [];

    /// <summary>Consumes one chunk.</summary>
    public void Accept(QueryGradientChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (!Gradients.TryGetValue(chunk.QueryId, out var layers))
            Gradients[chunk.QueryId] = layers = [];
        var cols = (int)chunk.Block.Cols;
        if (!layers.TryGetValue((int)chunk.LayerIndex, out var matrix))
            layers[(int)chunk.LayerIndex] = matrix = new float[checked((int)chunk.TotalRows * cols)];
        var block = chunk.Block;
        Quantizer.Decode(new QuantizedBlock((int)block.Rows, cols, ExampleAssembler.ToFactorDType(block.Dtype), block.Data.ToByteArray(), block.RowScales.ToArray()))
            .CopyTo(matrix.AsSpan((int)chunk.RowOffset * cols));
        Measurements[chunk.QueryId] = chunk.Measurement;
        Preconditioned[chunk.QueryId] = chunk.Preconditioned;
    }
}
