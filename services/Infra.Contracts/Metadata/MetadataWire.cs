using Google.Protobuf.Collections;
using Infra.Core.Metadata;
using WireScheme = Infra.Contracts.Gradients.V1.DifficultyScheme;
using WireSource = Infra.Contracts.Gradients.V1.DifficultySource;
using WireValue = Infra.Contracts.Gradients.V1.MetadataValue;

namespace Infra.Contracts.Metadata;

/// <summary>Metadata values and difficulty schemes to and from their proto messages (one mapping for every service and client).</summary>
public static class MetadataWire
{
    /// <summary>A value on the wire.</summary>
    public static WireValue ToWire(MetadataValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Kind switch
        {
            MetadataKind.String => new WireValue { StringValue = value.StringValue },
            MetadataKind.Int => new WireValue { IntValue = value.IntValue },
            MetadataKind.Double => new WireValue { DoubleValue = value.DoubleValue },
            _ => new WireValue { BoolValue = value.BoolValue },
        };
    }

    /// <summary>A value from the wire; null when none of its kinds is set (a sender that left it empty).</summary>
    public static MetadataValue? FromWire(WireValue? value) => value?.KindCase switch
    {
        WireValue.KindOneofCase.StringValue => MetadataValue.Of(value.StringValue),
        WireValue.KindOneofCase.IntValue => MetadataValue.Of(value.IntValue),
        WireValue.KindOneofCase.DoubleValue => MetadataValue.Of(value.DoubleValue),
        WireValue.KindOneofCase.BoolValue => MetadataValue.Of(value.BoolValue),
        _ => null,
    };

    /// <summary>Copies <paramref name="values"/> into a proto map field.</summary>
    public static void CopyTo(IReadOnlyDictionary<string, MetadataValue> values, MapField<string, WireValue> target)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(target);
        foreach (var (name, value) in values)
        {
            target[name] = ToWire(value);
        }
    }

    /// <summary>A proto map field as a dictionary (ordinal keys); entries without a value are left out.</summary>
    public static Dictionary<string, MetadataValue> FromWire(MapField<string, WireValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = new Dictionary<string, MetadataValue>(values.Count, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            if (FromWire(value) is { } read)
            {
                result[name] = read;
            }
        }
        return result;
    }

    /// <summary>A scheme on the wire (with its one-line description).</summary>
    public static WireScheme ToWire(DifficultyScheme scheme)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        var wire = new WireScheme
        {
            Source = scheme.Source switch
            {
                DifficultySource.Given => WireSource.Given,
                DifficultySource.Mapped => WireSource.Mapped,
                DifficultySource.Binned => WireSource.Binned,
                _ => WireSource.Estimated,
            },
            Column = scheme.Column,
            Levels = (uint)scheme.Levels,
            Description = scheme.Describe(),
        };
        foreach (var (label, level) in scheme.Mapping)
        {
            wire.Mapping[label] = level;
        }
        wire.BinEdges.AddRange(scheme.BinEdges);
        return wire;
    }

    /// <summary>A scheme from the wire; null when unset. UNSPECIFIED reads as GIVEN.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A source this build does not know.</exception>
    public static DifficultyScheme? FromWire(WireScheme? scheme) => scheme is null
        ? null
        : new DifficultyScheme(
            scheme.Source switch
            {
                WireSource.Unspecified or WireSource.Given => DifficultySource.Given,
                WireSource.Mapped => DifficultySource.Mapped,
                WireSource.Binned => DifficultySource.Binned,
                WireSource.Estimated => DifficultySource.Estimated,
                _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme.Source, "a difficulty source this build does not know"),
            },
            scheme.Column,
            new Dictionary<string, int>(scheme.Mapping, StringComparer.Ordinal),
            [.. scheme.BinEdges],
            (int)scheme.Levels);
}
