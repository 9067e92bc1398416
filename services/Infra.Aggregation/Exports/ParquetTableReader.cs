using Parquet;
using Parquet.Schema;

namespace Infra.Aggregation.Exports;

/// <summary>
/// Reads a flat Parquet file (string, int32/int64, float/double and boolean columns; every row
/// group) back into an <see cref="ExportTable"/>, e.g. a weighted corpus or a roll-up written by
/// <see cref="ParquetTableWriter"/>. Int32 columns come back as Int64 and float as Double.
/// </summary>
public static class ParquetTableReader
{
    /// <summary>Reads the file at <paramref name="path"/>; the table is named after the file.</summary>
    public static async Task<ExportTable> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return await ReadAsync(stream, Path.GetFileNameWithoutExtension(path), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads <paramref name="stream"/> (left open) into a table named <paramref name="name"/>.</summary>
    public static async Task<ExportTable> ReadAsync(Stream stream, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await ReadTableAsync(reader, name, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<ExportTable> ReadTableAsync(ParquetReader reader, string name, CancellationToken cancellationToken)
    {
        var fields = reader.Schema.GetDataFields();
        var table = new ExportTable(name, fields.Select(field => new ExportColumn(field.Name, TypeOf(field))).ToArray());
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = checked((int)group.RowCount);
            var columns = new object?[fields.Length][];
            for (var c = 0; c < fields.Length; c++)
            {
                columns[c] = await ReadColumnAsync(group, fields[c], count, cancellationToken).ConfigureAwait(false);
            }
            for (var r = 0; r < count; r++)
            {
                table.AddRow(columns.Select(column => column[r]).ToArray());
            }
        }
        return table;
    }

    // Parquet.Net 6 reports a UTF-8 string column read from a file as ReadOnlyMemory<char>; it is still read as strings.
    private static bool IsString(Type type) => type == typeof(string) || type == typeof(ReadOnlyMemory<char>);

    private static ColumnType TypeOf(DataField field)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (IsString(type))
        {
            return ColumnType.String;
        }
        if (type == typeof(long) || type == typeof(int))
        {
            return ColumnType.Int64;
        }
        if (type == typeof(double) || type == typeof(float))
        {
            return ColumnType.Double;
        }
        if (type == typeof(bool))
        {
            return ColumnType.Boolean;
        }
        throw new NotSupportedException($"column '{field.Name}' has unsupported type {type.Name}");
    }

    private static async Task<object?[]> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int count, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (IsString(type))
        {
            var values = new string?[count];
            await group.ReadAsync(field, values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            return values.Cast<object?>().ToArray();
        }
        if (type == typeof(long))
        {
            return await ReadNullable<long>(group, field, count, value => value, cancellationToken).ConfigureAwait(false);
        }
        if (type == typeof(int))
        {
            return await ReadNullable<int>(group, field, count, value => (long)value, cancellationToken).ConfigureAwait(false);
        }
        if (type == typeof(double))
        {
            return await ReadNullable<double>(group, field, count, value => value, cancellationToken).ConfigureAwait(false);
        }
        if (type == typeof(float))
        {
            return await ReadNullable<float>(group, field, count, value => (double)value, cancellationToken).ConfigureAwait(false);
        }
        if (type == typeof(bool))
        {
            return await ReadNullable<bool>(group, field, count, value => value, cancellationToken).ConfigureAwait(false);
        }
        throw new NotSupportedException($"column '{field.Name}' has unsupported type {type.Name}");
    }

    private static async Task<object?[]> ReadNullable<T>(ParquetRowGroupReader group, DataField field, int count, Func<T, object> box, CancellationToken cancellationToken)
        where T : struct
    {
        if (!field.IsNullable)
        {
            var required = new T[count];
            await group.ReadAsync<T>(field, required.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            return required.Select(value => (object?)box(value)).ToArray();
        }
        var values = new T?[count];
        await group.ReadAsync<T>(field, values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return values.Select(value => value is { } present ? box(present) : null).ToArray();
    }
}
