namespace Infra.Aggregation.Exports;

/// <summary>The value type of an <see cref="ExportColumn"/>; every column also accepts null (written as an empty CSV field or a Parquet null).</summary>
public enum ColumnType
{
    /// <summary>UTF-8 text.</summary>
    String,
    /// <summary>64-bit signed integer (int and long values are accepted).</summary>
    Int64,
    /// <summary>64-bit float (double and float values are accepted); NaN is a value, not null.</summary>
    Double,
    /// <summary>true / false.</summary>
    Boolean,
}
