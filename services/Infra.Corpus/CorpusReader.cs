namespace Infra.Corpus;

/// <summary>
/// Reads and validates a corpus JSONL, one record per line, under <see cref="CorpusReaderOptions"/> (layout, column
/// names, fixed domain, difficulty mapping or bins; the lab's schema by default). Every line is either a record or at
/// least one line-numbered error (invalid JSON, not an object, missing or empty required field, wrong type, bad
/// difficulty value, duplicate id, malformed messages or tags, empty line); reading continues past errors so a user
/// sees them all at once (up to <see cref="CorpusReaderOptions.MaxErrors"/>).
/// </summary>
public static class CorpusReader
{
    /// <summary>Reads the file at <paramref name="path"/> (UTF-8); generated ids are "STEM-LINE" with the file's stem.</summary>
    public static CorpusReadResult ReadFile(string path, CorpusReaderOptions? options = null)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8);
        return Read(reader, options, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Reads every line of <paramref name="reader"/>; generated ids are "<paramref name="source"/>-LINE". Defaults to "corpus".</summary>
    /// <exception cref="ArgumentException">The options contradict themselves (a mapping and bins, fewer than 2 bins).</exception>
    public static CorpusReadResult Read(TextReader reader, CorpusReaderOptions? options = null, string source = "corpus")
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= CorpusReaderOptions.Default;
        var rows = new List<CorpusRow>();
        while (reader.ReadLine() is { } line)
        {
            rows.Add(JsonRows.Parse(rows.Count + 1, line));
        }
        return CorpusRowMapper.Map(rows, options, source, "line").Capped(options.MaxErrors);
    }
}
