using Infra.Aggregation.Sequences;
using Infra.Aggregation.Services;
using Infra.Aggregation.Tokens;
using Infra.Contracts;
using WireCategory = Infra.Contracts.Aggregation.V1.TokenCategory;
using WireKind = Infra.Contracts.Aggregation.V1.SequenceKind;

namespace Infra.Aggregation.Tests.Services;

/// <summary>Every domain kind and category has its own wire value, named as the domain names it; none is UNSPECIFIED.</summary>
public sealed class WireEnumMappingTests
{
    [Fact]
    public void Every_sequence_kind_maps_to_its_own_wire_value_of_the_same_name()
    {
        var mapped = Enum.GetValues<SequenceKind>().Select(k => (Domain: k, Wire: Wire.Kind(k))).ToList();
        Assert.DoesNotContain(mapped, m => m.Wire == WireKind.Unspecified);
        Assert.Equal(mapped.Count, mapped.Select(m => m.Wire).Distinct().Count());
        Assert.All(mapped, m => Assert.Equal(Wire.UpperSnake(m.Domain), WireEnum.Name(m.Wire)));
        Assert.Equal(Enum.GetValues<WireKind>().Length - 1, mapped.Count);
    }

    [Fact]
    public void Every_token_category_maps_to_its_own_wire_value_of_the_same_name()
    {
        var mapped = Enum.GetValues<TokenCategory>().Select(c => (Domain: c, Wire: Wire.Category(c))).ToList();
        Assert.DoesNotContain(mapped, m => m.Wire == WireCategory.Unspecified);
        Assert.Equal(mapped.Count, mapped.Select(m => m.Wire).Distinct().Count());
        Assert.All(mapped, m => Assert.Equal(Wire.UpperSnake(m.Domain), WireEnum.Name(m.Wire)));
        Assert.Equal(Enum.GetValues<WireCategory>().Length - 1, mapped.Count);
    }

    [Fact]
    public void Wire_enum_names_drop_the_enums_prefix_and_unknown_values_are_their_number()
    {
        Assert.Equal("NATURAL_LANGUAGE_CONNECTOR", WireEnum.Name(WireCategory.NaturalLanguageConnector));
        Assert.Equal("UNSPECIFIED", WireEnum.Name(WireKind.Unspecified));
        Assert.Equal("CODE_BLOCK_HEADER", WireEnum.Name(WireKind.CodeBlockHeader));
        Assert.Equal("42", WireEnum.Name((WireCategory)42));
    }
}
