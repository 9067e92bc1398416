using Infra.Contracts.Gradients.V1;
using Infra.Core.Compression;
using Infra.Core.Errors;

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

    /// <summary>The largest matrix one layer of an example or query may have, in elements: 128 M (512 MB of float32), above a 7B model's full MLP layer (18,944 x 3,584).</summary>
    public const long MaxMatrixElements = 1L << 27;

    /// <summary>Consumes one chunk.</summary>
    /// <exception cref="DomainException">InvalidArgument: a chunk without a block, or whose shape does not fit its matrix (named with the query and layer).</exception>
    public void Accept(ComputeQueryGradientsResponse chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var block = chunk.Block ?? throw DomainException.InvalidArgument($"query '{chunk.QueryId}' layer {chunk.LayerIndex}: the chunk carries no block", "chunk.block");
        var cols = (long)block.Cols;
        var elements = (ulong)chunk.TotalRows * block.Cols; // cannot overflow: both are 32-bit
        // Checked before anything is allocated or kept: a wild shape is the caller's error, not an overflow or a huge allocation.
        if (block.Rows == 0 || cols == 0 || elements > (ulong)MaxMatrixElements || chunk.LayerIndex > int.MaxValue
            || (long)chunk.RowOffset + block.Rows > chunk.TotalRows)
            throw DomainException.InvalidArgument($"query '{chunk.QueryId}' layer {chunk.LayerIndex}: rows {chunk.RowOffset}..{(long)chunk.RowOffset + block.Rows} of "
                + $"{chunk.TotalRows} x {cols} do not fit (at most {MaxMatrixElements} elements)", "chunk.block");
        if (!Gradients.TryGetValue(chunk.QueryId, out var layers))
            Gradients[chunk.QueryId] = layers = [];
        if (!layers.TryGetValue((int)chunk.LayerIndex, out var matrix))
            layers[(int)chunk.LayerIndex] = matrix = new float[elements];
        else if ((ulong)matrix.LongLength != elements)
            throw DomainException.InvalidArgument($"query '{chunk.QueryId}' layer {chunk.LayerIndex}: {chunk.TotalRows} x {cols} does not match the {matrix.Length} elements of its earlier chunks", "chunk.total_rows");
        ExampleAssembler.Decode(block, (int)cols, $"query '{chunk.QueryId}' layer {chunk.LayerIndex}")
            .CopyTo(matrix.AsSpan((int)(chunk.RowOffset * cols)));
        Measurements[chunk.QueryId] = chunk.Measurement;
        Preconditioned[chunk.QueryId] = chunk.Preconditioned;
    }
}
