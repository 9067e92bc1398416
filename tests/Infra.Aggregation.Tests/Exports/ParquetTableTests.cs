using Infra.Aggregation.Exports;
using Parquet;
using Parquet.Schema;

namespace Infra.Aggregation.Tests.Exports;

public class ParquetTableTests
{
    private static readonly int[] Ids = [1, 2];
    private static readonly float[] Scores = [0.5f, -1.5f];

    [Fact]
    public async Task Round_trip_keeps_names_types_values_and_nulls()
    {
        var table = new ExportTable("t", [new("name", ColumnType.String), new("n", ColumnType.Int64), new("x", ColumnType.Double), new("ok", ColumnType.Boolean)]);
        table.AddRow("ünïcode, \"quoted\"", 3, 0.1 + 0.2, true);
        table.AddRow(null, null, double.NaN, null);
        table.AddRow("", long.MinValue, double.NegativeInfinity, false);
        var path = Path.Combine(Path.GetTempPath(), $"infra-parquet-{Guid.NewGuid():N}.parquet");
        try
        {
            await ParquetTableWriter.WriteFileAsync(table, path);

            // Read with Parquet.Net directly, not through this project's reader.
            await using (var reader = await ParquetReader.CreateAsync(path))
            {
                var fields = reader.Schema.GetDataFields();
                Assert.Equal(["name", "n", "x", "ok"], fields.Select(f => f.Name));
                // Parquet.Net 6 reports UTF-8 string columns as ReadOnlyMemory<char>.
                Assert.Equal([typeof(ReadOnlyMemory<char>), typeof(long), typeof(double), typeof(bool)], fields.Select(f => Nullable.GetUnderlyingType(f.ClrType) ?? f.ClrType));
                Assert.All(fields, f => Assert.True(f.IsNullable));
                using var group = reader.OpenRowGroupReader(0);
                var names = new string?[3];
                await group.ReadAsync(fields[0], names.AsMemory());
                var counts = new long?[3];
                await group.ReadAsync<long>(fields[1], counts.AsMemory());
                var xs = new double?[3];
                await group.ReadAsync<double>(fields[2], xs.AsMemory());
                var oks = new bool?[3];
                await group.ReadAsync<bool>(fields[3], oks.AsMemory());
                Assert.Equal(new string?[] { "ünïcode, \"quoted\"", null, "" }.AsEnumerable(), names.AsEnumerable());
                Assert.Equal([3L, null, long.MinValue], counts);
                Assert.Equal([0.1 + 0.2, double.NaN, double.NegativeInfinity], xs);
                Assert.Equal([true, null, false], oks);
            }

            var back = await ParquetTableReader.ReadFileAsync(path);
            Assert.Equal(table.Columns, back.Columns);
            Assert.Equal(table.Rows, back.Rows);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Reader_accepts_required_int32_and_float_columns_from_other_writers()
    {
        using var stream = new MemoryStream();
        var idField = new DataField<int>("id");
        var scoreField = new DataField<float>("score");
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(idField, scoreField), stream))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<int>(idField, Ids);
            await group.WriteAsync<float>(scoreField, Scores);
        }
        stream.Position = 0;

        var table = await ParquetTableReader.ReadAsync(stream, "other");

        Assert.Equal([new ExportColumn("id", ColumnType.Int64), new ExportColumn("score", ColumnType.Double)], table.Columns);
        Assert.Equal([[1L, 0.5], [2L, -1.5]], table.Rows.Select(row => row.ToArray()));
    }
}
