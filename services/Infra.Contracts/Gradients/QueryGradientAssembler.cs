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

    /// <summary>The largest matrix one query's layer may have, in elements (a 64 M-element layer is 256 MB of float32).</summary>
    public const long MaxMatrixElements = 1L << 26;

    /// <summary>Consumes one chunk.</summary>
    /// <exception cref="InvalidDataException">A chunk without a block, or whose shape does not fit its matrix (named with the query and layer).</exception>
    public void Accept(QueryGradientChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var block = chunk.Block ?? throw new InvalidDataException($"query '{chunk.QueryId}' layer {chunk.LayerIndex}: the chunk carries no block");
        var cols = (long)block.Cols;
        var elements = (long)chunk.TotalRows * cols;
        // Checked before anything is allocated or kept: a wild shape is the caller's error, not an overflow or a huge allocation.
        if (block.Rows == 0 || cols == 0 || elements > MaxMatrixElements || chunk.LayerIndex > int.MaxValue
            || (long)chunk.RowOffset + block.Rows > chunk.TotalRows)
            throw new InvalidDataException($"query '{chunk.QueryId}' layer {chunk.LayerIndex}: rows {chunk.RowOffset}..{(long)chunk.RowOffset + block.Rows} of "
                + $"{chunk.TotalRows} x {cols} do not fit (at most {MaxMatrixElements} elements)");
        if (!Gradients.TryGetValue(chunk.QueryId, out var layers))
            Gradients[chunk.QueryId] = layers = [];
        if (!layers.TryGetValue((int)chunk.LayerIndex, out var matrix))
            layers[(int)chunk.LayerIndex] = matrix = new float[elements];
        else if (matrix.LongLength != elements)
            throw new InvalidDataException($"query '{chunk.QueryId}' layer {chunk.LayerIndex}: {chunk.TotalRows} x {cols} does not match the {matrix.Length} elements of its earlier chunks");
        Quantizer.Decode(new QuantizedBlock((int)block.Rows, (int)cols, ExampleAssembler.ToFactorDType(block.Dtype), block.Data.ToByteArray(), block.RowScales.ToArray()))
            .CopyTo(matrix.AsSpan((int)(chunk.RowOffset * cols)));
        Measurements[chunk.QueryId] = chunk.Measurement;
        Preconditioned[chunk.QueryId] = chunk.Preconditioned;
    }
}
