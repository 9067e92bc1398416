using System.Collections;
using System.Globalization;
using System.Text.Json;
using Parquet.Serialization;

namespace Infra.Corpus;

/// <summary>
/// A corpus in Parquet, read under the same <see cref="CorpusReaderOptions"/> and to the same records as its JSONL
/// (<see cref="CorpusReader"/>): integer columns (int8-int64) read as integers, float/double/decimal as doubles, strings
/// and bools as they are, dates as ISO 8601 text, nulls as absent, and lists/structs (messages, tags) as JSON.
/// Rows are checked like JSONL lines, numbered from 1.
/// </summary>
public static class ParquetCorpus
{
    /// <summary>Every row of every row group, mapped and validated; generated ids are "STEM-ROW" with the file's stem.</summary>
    /// <exception cref="CorpusFormatException">The file is not readable Parquet.</exception>
    /// <exception cref="ArgumentException">The options contradict themselves.</exception>
    public static async Task<CorpusReadResult> ReadAsync(string path, CorpusReaderOptions? options, CancellationToken token)
    {
        options ??= CorpusReaderOptions.Default;
        IList<Dictionary<string, object>> data;
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                data = (await ParquetSerializer.DeserializeUntypedAsync(stream, cancellationToken: token).ConfigureAwait(false)).Data;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException)
            {
                throw new CorpusFormatException($"{path} is not a readable Parquet file: {e.Message}", e);
            }
        }
        var rows = data.Select((values, i) => Row(i + 1, values)).ToList();
        return CorpusRowMapper.Map(rows, options, Path.GetFileNameWithoutExtension(path), "row").Capped(options.MaxErrors);
    }

    private static CorpusRow Row(int number, Dictionary<string, object> values)
    {
        var row = new Dictionary<string, object>(values.Count, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            if (Value(value) is { } read) row[name] = read;
        }
        return new CorpusRow(number, row, []);
    }

    // The same value types JsonRows gives, so a Parquet file and its JSONL map to equal records.
    private static object? Value(object? value) => value switch
    {
        null => null,
        string text => text,
        bool flag => flag,
        sbyte or byte or short or ushort or int or uint or long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        float or double or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        IDictionary or IEnumerable and not byte[] => JsonSerializer.SerializeToElement(value),
        _ => null, // binary and other types have no metadata or text meaning
    };
}
