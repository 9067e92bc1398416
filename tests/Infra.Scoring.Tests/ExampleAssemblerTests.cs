using Infra.Core.Errors;
using Google.Protobuf;
using Infra.Contracts.Gradients;
using Infra.Contracts.Gradients.V1;

namespace Infra.Scoring.Tests;

/// <summary>The reassembly of a gradient stream refuses chunks that name no tracked layer instead of dropping them, and wire shapes that do not fit as the sender's error.</summary>
public sealed class ExampleAssemblerTests
{
    private static ComputeGradientsResponse Header() => new() { Header = new ExampleHeader { Id = "e", TokenIds = { 1, 2 }, LossMask = { 0, 1 } } };

    private static ComputeGradientsResponse Chunk(uint layer, FactorKind kind = FactorKind.ExampleGradient) => new()
    {
        Chunk = new FactorChunk
        {
            ExampleId = "e", LayerIndex = layer, Kind = kind, RowOffset = 0, TotalRows = 1,
            Block = new QuantizedMatrix { Rows = 1, Cols = 2, Dtype = WireDtype.Float32, Data = ByteString.CopyFrom(new byte[8]) },
        },
    };

    [Fact]
    public void A_chunk_for_a_layer_that_is_not_tracked_is_refused_naming_it()
    {
        var assembler = new ExampleAssembler(layerCount: 2);
        assembler.Accept(Header());
        assembler.Accept(Chunk(1));
        var error = Assert.Throws<DomainException>(() => assembler.Accept(Chunk(7)));
        Assert.Contains("a chunk for layer 7, but only layers 0..1 are tracked", error.Message, StringComparison.Ordinal);
        var huge = Assert.Throws<DomainException>(() => assembler.Accept(Chunk(uint.MaxValue)));
        Assert.Contains($"layer {uint.MaxValue}", huge.Message, StringComparison.Ordinal);
        Assert.Contains("unknown factor kind", Assert.Throws<DomainException>(() => assembler.Accept(Chunk(0, FactorKind.Unspecified))).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_layer_count_every_layer_is_assembled()
    {
        var assembler = new ExampleAssembler();
        assembler.Accept(Header());
        assembler.Accept(Chunk(7));
        var done = assembler.Accept(new ComputeGradientsResponse { Done = new ExampleDone { Id = "e" } });
        Assert.NotNull(done);
        Assert.True(done.Factors.ContainsKey((7, FactorKind.ExampleGradient)));
    }

    public static TheoryData<string, uint, uint, uint, uint, int> BadShapes() => new()
    {
        // label, row_offset, total_rows, rows, cols, bytes
        { "no rows", 0, 1, 0, 2, 0 },
        { "no columns", 0, 1, 1, 0, 0 },
        { "rows past the end", 1, 1, 1, 2, 8 },
        { "row offset wraps", uint.MaxValue, 1, 1, 2, 8 },
        { "a matrix over the bound", 0, uint.MaxValue, 1, uint.MaxValue, 8 },
        { "bytes short of the shape", 0, 1, 1, 2, 7 },
        { "bytes beyond the shape", 0, 1, 1, 2, 12 },
    };

    [Theory]
    [MemberData(nameof(BadShapes))]
    public void A_block_whose_payload_does_not_fit_its_shape_is_the_callers_error(string label, uint rowOffset, uint totalRows, uint rows, uint cols, int bytes)
    {
        var assembler = new ExampleAssembler(layerCount: 2);
        assembler.Accept(Header());
        var chunk = new ComputeGradientsResponse
        {
            Chunk = new FactorChunk
            {
                ExampleId = "e", LayerIndex = 0, Kind = FactorKind.ExampleGradient, RowOffset = rowOffset, TotalRows = totalRows,
                Block = new QuantizedMatrix { Rows = rows, Cols = cols, Dtype = WireDtype.Float32, Data = ByteString.CopyFrom(new byte[bytes]) },
            },
        };
        var error = Assert.Throws<DomainException>(() => assembler.Accept(chunk));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("layer 0", error.Message, StringComparison.Ordinal);
        Assert.NotNull(label);
    }

    [Fact]
    public void A_chunk_without_a_block_is_refused_naming_the_field()
    {
        var assembler = new ExampleAssembler(layerCount: 2);
        assembler.Accept(Header());
        var error = Assert.Throws<DomainException>(() => assembler.Accept(new ComputeGradientsResponse
        {
            Chunk = new FactorChunk { ExampleId = "e", LayerIndex = 0, Kind = FactorKind.ExampleGradient, TotalRows = 1 },
        }));
        Assert.Equal("chunk.block", error.Field);
    }

    [Fact]
    public void A_query_chunk_whose_payload_does_not_fit_is_the_callers_error()
    {
        var assembler = new QueryGradientAssembler();
        var error = Assert.Throws<DomainException>(() => assembler.Accept(new ComputeQueryGradientsResponse
        {
            QueryId = "q", TotalRows = 1,
            Block = new QuantizedMatrix { Rows = 1, Cols = 2, Dtype = WireDtype.Float32, Data = ByteString.CopyFrom(new byte[5]) },
        }));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("block", error.Field);
        Assert.Equal("chunk.block", Assert.Throws<DomainException>(() => new QueryGradientAssembler().Accept(new ComputeQueryGradientsResponse { QueryId = "q", TotalRows = 1 })).Field);
    }
}
