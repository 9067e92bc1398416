using System.Globalization;

namespace Infra.Corpus;

/// <summary>
/// Reads a corpus or query set, JSONL (<see cref="CorpusReader"/>) or Parquet (<see cref="ParquetCorpus"/>) chosen by
/// the extension (.parquet, anything else is JSONL), under the same <see cref="CorpusReaderOptions"/>. Any invalid
/// line or row, or a column named in the options that no row has, fails the whole read with a
/// <see cref="CorpusFormatException"/> listing every problem with its line or row number and the value.
/// </summary>
public static class CorpusFile
{
    /// <summary>The records of <paramref name="path"/> in file order (never empty) and the difficulty scheme used.</summary>
    /// <exception cref="CorpusFormatException">The file is missing, empty, has an invalid line or row, or the options do not fit it.</exception>
    public static async Task<CorpusReadResult> ReadAsync(string path, CorpusReaderOptions? options, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new CorpusFormatException($"corpus file {path} does not exist");
        CorpusReadResult result;
        try
        {
            result = Path.GetExtension(path).Equals(".parquet", StringComparison.OrdinalIgnoreCase)
                ? await ParquetCorpus.ReadAsync(path, options, token).ConfigureAwait(false)
                : CorpusReader.ReadFile(path, options);
        }
        catch (ArgumentException e)
        {
            throw new CorpusFormatException($"{path}: {e.Message}", e);
        }
        if (result.ErrorCount > 0)
        {
            var unit = result.Errors[0].Unit;
            throw new CorpusFormatException(
                $"{path}: {result.ErrorCount.ToString(CultureInfo.InvariantCulture)} problem(s) in {result.InvalidLines.ToString(CultureInfo.InvariantCulture)} invalid {unit}(s) of {result.LineCount.ToString(CultureInfo.InvariantCulture)}; first: {result.Errors[0]}",
                result.Errors.Select(e => e.ToString()).ToList());
        }
        if (result.Records.Count == 0) throw new CorpusFormatException($"{path} holds no examples");
        return result;
    }
}
