using Parquet;
using Parquet.Schema;

namespace Infra.Aggregation.Exports;

/// <summary>
/// Writes an <see cref="ExportTable"/> as a Parquet file (Parquet.Net): one row group, every column
/// optional (nullable) with the physical type of its <see cref="ColumnType"/> — string → UTF-8
/// BYTE_ARRAY, Int64 → INT64, Double → DOUBLE, Boolean → BOOLEAN — so pandas, pyarrow and DuckDB read
/// it with the same names and types.
/// </summary>
public static class ParquetTableWriter
{
    /// <summary>Writes <paramref name="table"/> to the file at <paramref name="path"/>, replacing it.</summary>
    public static async Task WriteFileAsync(ExportTable table, string path, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        await using (stream.ConfigureAwait(false))
        {
            await WriteAsync(table, stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes <paramref name="table"/> to <paramref name="stream"/> (left open).</summary>
    public static async Task WriteAsync(ExportTable table, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(stream);
        var fields = table.Columns.Select(Field).ToArray();
        var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < fields.Length; c++)
            {
                var column = c;
                switch (table.Columns[c].Type)
                {
                    case ColumnType.String:
                        await group.WriteAsync(fields[c], table.Rows.Select(row => (string?)row[column]).ToArray()).ConfigureAwait(false);
                        break;
                    case ColumnType.Int64:
                        await group.WriteAsync<long>(fields[c], table.Rows.Select(row => (long?)row[column]).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
                        break;
                    case ColumnType.Double:
                        await group.WriteAsync<double>(fields[c], table.Rows.Select(row => (double?)row[column]).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
                        break;
                    case ColumnType.Boolean:
                        await group.WriteAsync<bool>(fields[c], table.Rows.Select(row => (bool?)row[column]).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        throw new InvalidOperationException($"unsupported column type {table.Columns[c].Type}");
                }
            }
        }
    }

    private static DataField Field(ExportColumn column) => column.Type switch
    {
        ColumnType.String => new DataField<string>(column.Name, nullable: true),
        ColumnType.Int64 => new DataField<long?>(column.Name),
        ColumnType.Double => new DataField<double?>(column.Name),
        ColumnType.Boolean => new DataField<bool?>(column.Name),
        _ => throw new ArgumentException($"unsupported column type {column.Type}", nameof(column)),
    };
}
