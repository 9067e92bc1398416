using System.Globalization;
using Infra.Aggregation.Exports;

namespace Infra.Aggregation.Tests.Exports;

public class CsvTableWriterTests
{
    private static ExportTable Table()
    {
        var table = new ExportTable("t", [new("name", ColumnType.String), new("n", ColumnType.Int64), new("x", ColumnType.Double), new("ok", ColumnType.Boolean)]);
        table.AddRow("plain", 3, 0.5, true);
        table.AddRow("a,b", 4L, 0.1, false);
        table.AddRow("say \"hi\"", -1, double.NaN, null);
        table.AddRow("two\nlines", null, 1e-300, true);
        table.AddRow(null, 0, double.NegativeInfinity, false);
        return table;
    }

    [Fact]
    public void Writes_RFC_4180_with_invariant_numbers()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE"); // would write 0,5 if the culture leaked
        try
        {
            using var writer = new StringWriter();
            CsvTableWriter.Write(Table(), writer);

            Assert.Equal(
                "name,n,x,ok\r\n" +
                "plain,3,0.5,true\r\n" +
                "\"a,b\",4,0.1,false\r\n" +
                "\"say \"\"hi\"\"\",-1,NaN,\r\n" +
                "\"two\nlines\",,1E-300,true\r\n" +
                ",0,-Infinity,false\r\n",
                writer.ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Doubles_round_trip_exactly()
    {
        foreach (var value in new[] { 0.1 + 0.2, Math.PI, -1.0 / 3, double.Epsilon, 123456789.123456789 })
        {
            Assert.Equal(value, double.Parse(CsvTableWriter.Format(value), CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Rows_are_type_checked()
    {
        var table = Table();

        Assert.Throws<ArgumentException>(() => table.AddRow("x", "not a number", 1.0, true));
        Assert.Throws<ArgumentException>(() => table.AddRow("x", 1));
        Assert.Throws<ArgumentException>(() => new ExportTable("dup", [new("a", ColumnType.String), new("a", ColumnType.Int64)]));
        Assert.Equal(5, table.RowCount);
    }

    [Fact]
    public void Writes_a_file_without_BOM()
    {
        var path = Path.Combine(Path.GetTempPath(), $"infra-csv-{Guid.NewGuid():N}.csv");
        try
        {
            CsvTableWriter.WriteFile(Table(), path);
            var bytes = File.ReadAllBytes(path);
            Assert.Equal((byte)'n', bytes[0]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
