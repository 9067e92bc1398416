using Infra.Core.Metadata;
using Infra.Core.Store;

namespace Infra.Core.Tests.Store;

/// <summary>A shard's metadata column keeps every value with its kind: an int stays an int, a double 2.0 a double, a NaN a NaN.</summary>
public sealed class MetadataRowCodecTests
{
    [Fact]
    public void Every_kind_round_trips_exactly_and_no_metadata_is_the_empty_string()
    {
        var values = new Dictionary<string, MetadataValue>(StringComparer.Ordinal)
        {
            ["source"] = MetadataValue.Of("gsm8k \"quoted\" ü"),
            ["rating"] = MetadataValue.Of(long.MaxValue),
            ["score"] = MetadataValue.Of(2.0),
            ["tiny"] = MetadataValue.Of(0.1 + 0.2),
            ["missing"] = MetadataValue.Of(double.NaN),
            ["huge"] = MetadataValue.Of(double.NegativeInfinity),
            ["explores"] = MetadataValue.Of(false),
        };

        var read = MetadataRowCodec.Decode(MetadataRowCodec.Encode(values));

        Assert.Equal(values.OrderBy(p => p.Key, StringComparer.Ordinal), read.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(MetadataKind.Double, read["score"].Kind);
        Assert.Equal(MetadataKind.Int, read["rating"].Kind);
        Assert.Equal("", MetadataRowCodec.Encode(MetadataColumns.None));
        Assert.Empty(MetadataRowCodec.Decode(""));
    }

    [Fact]
    public void Text_that_is_not_a_metadata_row_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => MetadataRowCodec.Decode("{\"a\":{\"date\":1}}"));
        Assert.Throws<InvalidDataException>(() => MetadataRowCodec.Decode("not json"));
    }
}
