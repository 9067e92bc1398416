using System.Globalization;

namespace Infra.Core.Metadata;

/// <summary>The type of a <see cref="MetadataValue"/>.</summary>
public enum MetadataKind
{
    /// <summary>Text.</summary>
    String,
    /// <summary>A 64-bit integer.</summary>
    Int,
    /// <summary>A double.</summary>
    Double,
    /// <summary>true or false.</summary>
    Bool,
}

/// <summary>
/// One value of a corpus metadata column (every column besides the text: source, language, rating,
/// the raw difficulty label, ...). Kept with the example in the store so roll-ups can group by it.
/// </summary>
public sealed record MetadataValue
{
    private MetadataValue(MetadataKind kind, string? text, long integer, double number, bool flag)
    {
        Kind = kind;
        StringValue = text;
        IntValue = integer;
        DoubleValue = number;
        BoolValue = flag;
    }

    /// <summary>Which of the values is set.</summary>
    public MetadataKind Kind { get; }

    /// <summary>The text when <see cref="Kind"/> is String, else null.</summary>
    public string? StringValue { get; }

    /// <summary>The integer when <see cref="Kind"/> is Int, else 0.</summary>
    public long IntValue { get; }

    /// <summary>The number when <see cref="Kind"/> is Double, else 0.</summary>
    public double DoubleValue { get; }

    /// <summary>The flag when <see cref="Kind"/> is Bool, else false.</summary>
    public bool BoolValue { get; }

    /// <summary>A text value.</summary>
    public static MetadataValue Of(string value) => new(MetadataKind.String, value ?? throw new ArgumentNullException(nameof(value)), 0, 0, false);

    /// <summary>An integer value.</summary>
    public static MetadataValue Of(long value) => new(MetadataKind.Int, null, value, 0, false);

    /// <summary>A number value.</summary>
    public static MetadataValue Of(double value) => new(MetadataKind.Double, null, 0, value, false);

    /// <summary>A flag value.</summary>
    public static MetadataValue Of(bool value) => new(MetadataKind.Bool, null, 0, 0, value);

    /// <summary>The value as a number when it is one (Int or Double), for binning.</summary>
    public bool TryGetNumber(out double number)
    {
        number = Kind switch { MetadataKind.Int => IntValue, MetadataKind.Double => DoubleValue, _ => double.NaN };
        return Kind is MetadataKind.Int or MetadataKind.Double;
    }

    /// <summary>The value as people and group keys read it: invariant culture, "true"/"false", doubles round-trippable.</summary>
    public override string ToString() => Kind switch
    {
        MetadataKind.String => StringValue!,
        MetadataKind.Int => IntValue.ToString(CultureInfo.InvariantCulture),
        MetadataKind.Double => DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        _ => BoolValue ? "true" : "false",
    };

    /// <summary>The name of <paramref name="kind"/> as the protos and files write it: "string", "int", "double", "bool".</summary>
    public static string KindName(MetadataKind kind) => kind switch
    {
        MetadataKind.String => "string",
        MetadataKind.Int => "int",
        MetadataKind.Double => "double",
        _ => "bool",
    };
}
