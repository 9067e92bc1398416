using Infra.Contracts.Gradients.V1;

namespace Infra.Gradients.Tests;

/// <summary>The corpus's metadata columns reach the streamed gradients unchanged, so the store can keep them.</summary>
public sealed class MetadataPassThroughTests(LoopbackHostFixture fixture) : IClassFixture<LoopbackHostFixture>
{
    private readonly GradientService.GradientServiceClient _client = new(fixture.Host.Channel);

    [Fact]
    public async Task Every_kind_of_metadata_value_is_copied_onto_the_example_header()
    {
        var tagged = GradientClient.Chat("meta", "Half of 90?", "45", "science", 0);
        tagged.Metadata["source"] = new MetadataValue { StringValue = "gsm8k" };
        tagged.Metadata["rating"] = new MetadataValue { IntValue = 1200 };
        tagged.Metadata["score"] = new MetadataValue { DoubleValue = 2.0 };
        tagged.Metadata["explores"] = new MetadataValue { BoolValue = false };
        var plain = GradientClient.Chat("plain", "1+1=", "2");

        var (received, _) = await GradientClient.ComputeAsync(_client, new GradientOptions { IncludeExampleGradient = true }, [tagged, plain]);

        var header = received.Single(r => r.Header.Id == "meta").Header;
        Assert.Equal("science", header.Domain);
        Assert.Equal(0, header.Difficulty);
        Assert.Equal(tagged.Metadata, header.Metadata);
        Assert.Equal(MetadataValue.KindOneofCase.DoubleValue, header.Metadata["score"].KindCase);
        Assert.Equal(MetadataValue.KindOneofCase.BoolValue, header.Metadata["explores"].KindCase);
        Assert.Empty(received.Single(r => r.Header.Id == "plain").Header.Metadata);
    }
}
