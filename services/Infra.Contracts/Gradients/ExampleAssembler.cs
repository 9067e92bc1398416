using Infra.Contracts.Gradients.V1;
using Infra.Core.Compression;
using Infra.Core.Errors;

namespace Infra.Contracts.Gradients;

/// <summary>
/// Reassembles a ComputeGradients response stream into <see cref="ReceivedExample"/>s: feed every
/// message to <see cref="Accept"/>; it returns the example when its <c>done</c> arrives. Checks that
/// chunks belong to the open example and cover every row exactly once, and (given the layer count) that every chunk
/// names a tracked layer: a chunk for a layer that does not exist is refused, not silently dropped.
/// </summary>
/// <param name="layerCount">Tracked layers of the receiver (e.g. the store's schema); null = not checked.</param>
public sealed class ExampleAssembler(int? layerCount = null)
{
    private ReceivedExample? _open;
    private readonly Dictionary<(int, FactorKind), int> _rowsSeen = [];

    /// <summary>The last progress message seen, if any.</summary>
    public Progress? LastProgress { get; private set; }

    /// <summary>The ScoringService's summary when the stream was forwarded there.</summary>
    public ForwardSummary? Forwarded { get; private set; }

    /// <summary>Consumes one message; returns a completed example or null.</summary>
    /// <exception cref="InvalidDataException">Out-of-order or inconsistent messages.</exception>
    public ReceivedExample? Accept(ComputeGradientsResponse message)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message.ItemCase)
        {
            case ComputeGradientsResponse.ItemOneofCase.Header:
                if (_open is not null) throw DomainException.InvalidArgument($"header of '{message.Header.Id}' before '{_open.Header.Id}' was done");
                _open = new ReceivedExample(message.Header);
                _rowsSeen.Clear();
                return null;
            case ComputeGradientsResponse.ItemOneofCase.Chunk:
                AddChunk(message.Chunk);
                return null;
            case ComputeGradientsResponse.ItemOneofCase.Done:
                var done = _open ?? throw DomainException.InvalidArgument($"done of '{message.Done.Id}' without a header");
                if (done.Header.Id != message.Done.Id) throw DomainException.InvalidArgument($"done of '{message.Done.Id}' while '{done.Header.Id}' is open");
                foreach (var ((layer, kind), rows) in _rowsSeen)
                {
                    var total = done.Factors[(layer, kind)].Length / done.Columns[(layer, kind)];
                    if (rows != total) throw DomainException.InvalidArgument($"'{done.Header.Id}' layer {layer} {kind}: {rows} of {total} rows arrived");
                }
                _open = null;
                return done;
            case ComputeGradientsResponse.ItemOneofCase.Progress:
                LastProgress = message.Progress;
                return null;
            case ComputeGradientsResponse.ItemOneofCase.Forwarded:
                Forwarded = message.Forwarded;
                return null;
            default:
                throw DomainException.InvalidArgument("empty gradient-stream message");
        }
    }

    private void AddChunk(FactorChunk chunk)
    {
        var open = _open ?? throw DomainException.InvalidArgument($"chunk of '{chunk.ExampleId}' without a header");
        if (chunk.ExampleId != open.Header.Id) throw DomainException.InvalidArgument($"chunk of '{chunk.ExampleId}' while '{open.Header.Id}' is open");
        if (layerCount is { } layers && chunk.LayerIndex >= layers)
            throw DomainException.InvalidArgument($"'{chunk.ExampleId}': a chunk for layer {chunk.LayerIndex}, but only layers 0..{layers - 1} are tracked");
        if (chunk.Kind is not (FactorKind.InputActivation or FactorKind.OutputGradient or FactorKind.ExampleGradient))
            throw DomainException.InvalidArgument($"'{chunk.ExampleId}' layer {chunk.LayerIndex}: unknown factor kind {chunk.Kind}");
        var block = chunk.Block ?? throw DomainException.InvalidArgument($"'{chunk.ExampleId}' layer {chunk.LayerIndex} {chunk.Kind}: the chunk carries no block", "chunk.block");
        var elements = (ulong)chunk.TotalRows * block.Cols; // cannot overflow: both are 32-bit
        // Checked before anything is allocated: a wild shape is the sender's error, not an overflow or a huge allocation.
        if (block.Rows == 0 || block.Cols == 0 || elements > (ulong)QueryGradientAssembler.MaxMatrixElements || chunk.LayerIndex > int.MaxValue
            || (long)chunk.RowOffset + block.Rows > chunk.TotalRows)
            throw DomainException.InvalidArgument($"'{chunk.ExampleId}' layer {chunk.LayerIndex} {chunk.Kind}: rows {chunk.RowOffset}..{(long)chunk.RowOffset + block.Rows} of "
                + $"{chunk.TotalRows} x {block.Cols} do not fit (at most {QueryGradientAssembler.MaxMatrixElements} elements)", "chunk.block");
        var key = ((int)chunk.LayerIndex, chunk.Kind);
        var cols = (int)block.Cols;
        if (!open.Factors.TryGetValue(key, out var matrix))
        {
            matrix = new float[elements];
            open.Factors[key] = matrix;
            open.Columns[key] = cols;
        }
        else if (open.Columns[key] != cols)
        {
            throw DomainException.InvalidArgument($"'{chunk.ExampleId}' layer {chunk.LayerIndex} {chunk.Kind}: column count changed");
        }
        if (((long)chunk.RowOffset + block.Rows) * cols > matrix.Length)
            throw DomainException.InvalidArgument($"'{chunk.ExampleId}' layer {chunk.LayerIndex} {chunk.Kind}: rows beyond {chunk.TotalRows}");
        // Straight from the message's bytes into the matrix: one copy of the payload, not three (the stream is bandwidth-bound).
        DecodeInto(block, cols, $"'{chunk.ExampleId}' layer {chunk.LayerIndex} {chunk.Kind}", matrix.AsSpan((int)(chunk.RowOffset * (long)cols)));
        _rowsSeen[key] = _rowsSeen.GetValueOrDefault(key) + (int)block.Rows;
        open.PayloadBytes += block.Data.Length + 4L * block.RowScales.Count;
    }

    /// <summary>
    /// Decodes a block that came over the wire. Its sizes are the sender's claims, so a block whose bytes or row scales do
    /// not match its rows, columns and dtype is the caller's error: InvalidArgument naming <c>block</c> and
    /// <paramref name="what"/> (the example or query and layer), never a bug.
    /// </summary>
    /// <exception cref="DomainException">InvalidArgument: the block's payload does not fit its shape or dtype.</exception>
    public static float[] Decode(QuantizedMatrix block, int cols, string what)
    {
        ArgumentNullException.ThrowIfNull(block);
        // Sized from the claimed shape only once the bytes agree with it: a wild row count is an error, not a huge allocation.
        var n = (long)block.Rows * cols;
        var result = block.Data.Length == n * Quantizer.ElementSize(ToFactorDType(block.Dtype)) ? new float[n] : [];
        DecodeInto(block, cols, what, result);
        return result;
    }

    /// <summary>
    /// <see cref="Decode"/> into <paramref name="destination"/> (its first <c>rows * cols</c> values), with the same errors;
    /// the destination must have room (the caller checked the block's place).
    /// </summary>
    /// <exception cref="DomainException">InvalidArgument: the block's payload does not fit its shape or dtype.</exception>
    public static void DecodeInto(QuantizedMatrix block, int cols, string what, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(block);
        var dtype = ToFactorDType(block.Dtype);
        // Row scales exist for int8 only: the fp32 path allocates nothing.
        var scales = block.RowScales.Count == 0 ? [] : block.RowScales.ToArray();
        try
        {
            Quantizer.DecodeInto(block.Data.Span, scales, (int)block.Rows, cols, dtype, destination);
        }
        catch (ArgumentException ex)
        {
            throw DomainException.InvalidArgument($"{what}: {ex.Message}", "block");
        }
    }

    /// <summary>Wire dtype to <see cref="FactorDType"/>; unspecified means fp32.</summary>
    public static FactorDType ToFactorDType(WireDtype dtype) => dtype switch
    {
        WireDtype.Unspecified or WireDtype.Float32 => FactorDType.Float32,
        WireDtype.Bfloat16 => FactorDType.BFloat16,
        WireDtype.Float16 => FactorDType.Float16,
        WireDtype.Int8 => FactorDType.Int8,
        _ => throw DomainException.InvalidArgument($"unknown wire dtype {dtype}"),
    };
}
