using System.Globalization;

namespace Infra.Corpus;

/// <summary>
/// Reads a corpus or query set: JSONL in the corpus schema (validated line by line by <see cref="CorpusReader"/>) or
/// Parquet with the columns id, domain, difficulty, prompt, response (<see cref="ParquetCorpus"/>), chosen by the
/// extension (.parquet, anything else is JSONL). Any invalid line or row fails the whole read with a
/// <see cref="CorpusFormatException"/> listing every problem with its line or row number.
/// </summary>
public static class CorpusFile
{
    /// <summary>The records of <paramref name="path"/>, in file order; never empty.</summary>
    /// <exception cref="CorpusFormatException">The file is missing, empty, or has an invalid line or row.</exception>
    public static async Task<IReadOnlyList<CorpusRecord>> ReadAsync(string path, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new CorpusFormatException($"corpus file {path} does not exist");
        IReadOnlyList<CorpusRecord> records;
        if (Path.GetExtension(path).Equals(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            records = await ParquetCorpus.ReadAsync(path, token).ConfigureAwait(false);
        }
        else
        {
            var result = CorpusReader.ReadFile(path);
            if (result.ErrorCount > 0)
            {
                throw new CorpusFormatException(
                    $"{path}: {result.InvalidLines.ToString(CultureInfo.InvariantCulture)} invalid line(s) of {result.LineCount.ToString(CultureInfo.InvariantCulture)}; first: {result.Errors[0]}",
                    result.Errors.Select(e => e.ToString()).ToList());
            }
            records = result.Records;
        }
        if (records.Count == 0) throw new CorpusFormatException($"{path} holds no examples");
        return records;
    }
}
