using Infra.Core.Errors;
using Google.Protobuf;
using Infra.Contracts.Gradients;
using Infra.Contracts.Gradients.V1;

namespace Infra.Scoring.Tests;

/// <summary>The reassembly of a gradient stream refuses chunks that name no tracked layer instead of dropping them.</summary>
public sealed class ExampleAssemblerTests
{
    private static ComputeGradientsResponse Header() => new() { Header = new ExampleHeader { Id = "e", TokenIds = { 1, 2 }, LossMask = { 0, 1 } } };

    private static ComputeGradientsResponse Chunk(uint layer, FactorKind kind = FactorKind.ExampleGradient) => new()
    {
        Chunk = new FactorChunk
        {
            ExampleId = "e", LayerIndex = layer, Kind = kind, RowOffset = 0, TotalRows = 1,
            Block = new QuantizedMatrix { Rows = 1, Cols = 2, Dtype = WireDType.Float32, Data = ByteString.CopyFrom(new byte[8]) },
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
}
