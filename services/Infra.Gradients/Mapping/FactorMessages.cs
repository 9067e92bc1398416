using Google.Protobuf;
using Infra.Contracts.Gradients.V1;
using Infra.Core.Compression;
using Infra.Core.Text;
using Infra.Torch.Gradients;

namespace Infra.Gradients.Mapping;

/// <summary>
/// Splits results into stream messages whose payload stays under a byte budget (row-aligned blocks),
/// quantised to the requested wire dtype.
/// </summary>
internal static class FactorMessages
{
    /// <summary>Header, factor chunks of every layer, done — for one example.</summary>
    public static IEnumerable<ComputeGradientsResponse> ForExample(ExampleFactors factors, EncodedExample encoded, Example source,
        FactorDType dtype, int chunkBytes)
    {
        var example = factors.Example;
        var header = new ExampleHeader
        {
            Id = example.Id,
            Domain = source.Domain,
            Difficulty = source.Difficulty,
            Loss = factors.Loss,
            NumLossTokens = (uint)factors.LossTokens,
            Truncated = factors.Truncated,
            RenderedText = encoded.RenderedText,
        };
        // The corpus's other columns travel with the gradients so the store can keep them for roll-ups.
        header.Metadata.Add(source.Metadata);
        var length = example.Ids.Length;
        header.TokenIds.AddRange(example.Ids);
        header.LossMask.AddRange(example.LossMask.Select(m => (uint)m));
        header.TokenLosses.AddRange(factors.TokenLosses);
        header.CharStarts.AddRange(encoded.CharStarts.Take(length));
        header.CharLengths.AddRange(encoded.CharLengths.Take(length));
        yield return new ComputeGradientsResponse { Header = header };

        foreach (var layer in factors.Layers)
        {
            if (layer.Inputs is { } a)
                foreach (var c in Chunks(example.Id, layer.LayerIndex, FactorKind.InputActivation, a, layer.KIn, dtype, chunkBytes))
                    yield return new ComputeGradientsResponse { Chunk = c };
            if (layer.OutputGradients is { } g)
                foreach (var c in Chunks(example.Id, layer.LayerIndex, FactorKind.OutputGradient, g, layer.KOut, dtype, chunkBytes))
                    yield return new ComputeGradientsResponse { Chunk = c };
            if (layer.ExampleGradient is { } e)
                foreach (var c in Chunks(example.Id, layer.LayerIndex, FactorKind.ExampleGradient, e, layer.KIn, dtype, chunkBytes))
                    yield return new ComputeGradientsResponse { Chunk = c };
        }
        yield return new ComputeGradientsResponse { Done = new ExampleDone { Id = example.Id } };
    }

    /// <summary>The chunks of one query gradient layer.</summary>
    public static IEnumerable<ComputeQueryGradientsResponse> ForQuery(QueryGradient query, int layer, int kIn, FactorDType dtype, int chunkBytes)
    {
        var data = query.Layers[layer];
        var rows = data.Length / kIn;
        foreach (var (offset, block) in Blocks(data, rows, kIn, dtype, chunkBytes))
        {
            yield return new ComputeQueryGradientsResponse
            {
                QueryId = query.QueryId,
                LayerIndex = (uint)layer,
                RowOffset = (uint)offset,
                TotalRows = (uint)rows,
                Block = block,
                Measurement = query.Measurement,
                Preconditioned = query.Preconditioned,
            };
        }
    }

    private static IEnumerable<FactorChunk> Chunks(string id, int layer, FactorKind kind, float[] data, int cols, FactorDType dtype, int chunkBytes)
    {
        var rows = data.Length / cols;
        foreach (var (offset, block) in Blocks(data, rows, cols, dtype, chunkBytes))
        {
            yield return new FactorChunk
            {
                ExampleId = id,
                LayerIndex = (uint)layer,
                Kind = kind,
                RowOffset = (uint)offset,
                TotalRows = (uint)rows,
                Block = block,
            };
        }
    }

    private static IEnumerable<(int Offset, QuantizedMatrix Block)> Blocks(float[] data, int rows, int cols, FactorDType dtype, int chunkBytes)
    {
        var rowBytes = cols * Quantizer.ElementSize(dtype) + (dtype == FactorDType.Int8 ? sizeof(float) : 0);
        var rowsPerChunk = Math.Max(1, chunkBytes / rowBytes);
        for (var offset = 0; offset < rows; offset += rowsPerChunk)
        {
            var n = Math.Min(rowsPerChunk, rows - offset);
            if (dtype == FactorDType.Float32)
            {
                // fp32 on the wire is the engine's own bytes (little-endian, as every supported host is): wrap them, copy nothing.
                yield return (offset, new QuantizedMatrix
                {
                    Rows = (uint)n,
                    Cols = (uint)cols,
                    Dtype = WireTypes.ToWire(dtype),
                    Data = UnsafeByteOperations.UnsafeWrap(new FloatBytes(data, offset * cols, n * cols).Memory),
                });
                continue;
            }
            var q = Quantizer.Encode(data.AsSpan(offset * cols, n * cols), n, cols, dtype);
            var block = new QuantizedMatrix
            {
                Rows = (uint)n,
                Cols = (uint)cols,
                Dtype = WireTypes.ToWire(dtype),
                // The encoded array is ours alone, so the message may wrap it without a copy.
                Data = UnsafeByteOperations.UnsafeWrap(q.Data),
            };
            block.RowScales.AddRange(q.RowScales);
            yield return (offset, block);
        }
    }
}
