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
    public void Every_sequence_kind_maps_to_its_own_wire_value_of_the_same_name() => AssertOneToOne<SequenceKind, WireKind>(Wire.Kind);

    [Fact]
    public void Every_token_category_maps_to_its_own_wire_value_of_the_same_name() => AssertOneToOne<TokenCategory, WireCategory>(Wire.Category);

    [Fact]
    public void Wire_enum_names_drop_the_enums_prefix_and_unknown_values_are_their_number()
    {
        Assert.Equal("NATURAL_LANGUAGE_CONNECTOR", WireEnum.Name(WireCategory.NaturalLanguageConnector));
        Assert.Equal("UNSPECIFIED", WireEnum.Name(WireKind.Unspecified));
        Assert.Equal("CODE_BLOCK_HEADER", WireEnum.Name(WireKind.CodeBlockHeader));
        Assert.Equal("42", WireEnum.Name((WireCategory)42));
    }

    // Every domain value has a wire value of its own, named as the domain names it, never UNSPECIFIED (0); every other
    // wire value is used.
    private static void AssertOneToOne<TDomain, TWire>(Func<TDomain, TWire> map) where TDomain : struct, Enum where TWire : struct, Enum
    {
        var mapped = Enum.GetValues<TDomain>().Select(d => (Domain: d, Wire: map(d))).ToList();
        Assert.DoesNotContain(mapped, m => EqualityComparer<TWire>.Default.Equals(m.Wire, default));
        Assert.Equal(mapped.Count, mapped.Select(m => m.Wire).Distinct().Count());
        Assert.All(mapped, m => Assert.Equal(Wire.UpperSnake(m.Domain), WireEnum.Name(m.Wire)));
        Assert.Equal(Enum.GetValues<TWire>().Length - 1, mapped.Count);
    }
}
