using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Infra.Corpus;

/// <summary>
/// A corpus in Parquet: string columns id, domain ("math" or "code"), prompt, response and an integer column difficulty
/// (int32 or int64, 1-5). Rows are checked like JSONL lines (row numbers from 1); other columns are ignored.
/// </summary>
public static class ParquetCorpus
{
    /// <summary>The columns a corpus file must have.</summary>
    public static readonly string[] RequiredColumns = [CorpusFields.Id, CorpusFields.Domain, CorpusFields.Difficulty, CorpusFields.Prompt, CorpusFields.Response];

    /// <summary>Every row of every row group, validated.</summary>
    public static async Task<IReadOnlyList<CorpusRecord>> ReadAsync(string path, CancellationToken token)
    {
        ParquetReader reader;
        var stream = File.OpenRead(path);
        await using var _ = stream.ConfigureAwait(false);
        try
        {
            reader = await ParquetReader.CreateAsync(stream, cancellationToken: token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new CorpusFormatException($"{path} is not a readable Parquet file: {e.Message}", e);
        }
        await using (reader.ConfigureAwait(false))
        {
            var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
            var missing = RequiredColumns.Where(c => !fields.ContainsKey(c)).ToList();
            if (missing.Count > 0)
                throw new CorpusFormatException($"{path}: missing column(s) {string.Join(", ", missing)} (a corpus needs {string.Join(", ", RequiredColumns)})");
            var records = new List<CorpusRecord>();
            var errors = new List<string>();
            var seen = new Dictionary<string, long>(StringComparer.Ordinal);
            long row = 0;
            for (var group = 0; group < reader.RowGroupCount; group++)
            {
                using var rows = reader.OpenRowGroupReader(group);
                var count = checked((int)rows.RowCount);
                var ids = await Strings(rows, fields[CorpusFields.Id], count, token).ConfigureAwait(false);
                var domains = await Strings(rows, fields[CorpusFields.Domain], count, token).ConfigureAwait(false);
                var prompts = await Strings(rows, fields[CorpusFields.Prompt], count, token).ConfigureAwait(false);
                var responses = await Strings(rows, fields[CorpusFields.Response], count, token).ConfigureAwait(false);
                var difficulties = await Integers(path, rows, fields[CorpusFields.Difficulty], count, token).ConfigureAwait(false);
                for (var i = 0; i < count; i++)
                {
                    row++;
                    var problems = new List<string>();
                    foreach (var (name, value) in new[] { (CorpusFields.Id, ids[i]), (CorpusFields.Domain, domains[i]), (CorpusFields.Prompt, prompts[i]), (CorpusFields.Response, responses[i]) })
                        if (string.IsNullOrWhiteSpace(value)) problems.Add($"missing or empty '{name}'");
                    ReasoningDomain? domain = domains[i] switch { CorpusFields.Math => ReasoningDomain.Math, CorpusFields.Code => ReasoningDomain.Code, _ => null };
                    if (domain is null && !string.IsNullOrWhiteSpace(domains[i])) problems.Add($"unknown domain '{domains[i]}' (expected \"math\" or \"code\")");
                    if (difficulties[i] is not { } level) problems.Add($"missing '{CorpusFields.Difficulty}'");
                    else if (level is < CorpusFields.MinDifficulty or > CorpusFields.MaxDifficulty) problems.Add($"difficulty {level.ToString(CultureInfo.InvariantCulture)} is out of range 1-5");
                    if (ids[i] is { } id && !string.IsNullOrWhiteSpace(id))
                    {
                        if (seen.TryGetValue(id, out var first)) problems.Add($"duplicate id '{id}' (first used on row {first.ToString(CultureInfo.InvariantCulture)})");
                        else seen[id] = row;
                    }
                    if (problems.Count > 0)
                    {
                        errors.AddRange(problems.Select(p => $"row {row.ToString(CultureInfo.InvariantCulture)}: {p}"));
                        continue;
                    }
                    records.Add(new CorpusRecord(ids[i]!, CorpusFields.DomainName(domain!.Value), (int)difficulties[i]!.Value, prompts[i]!, responses[i]!));
                }
            }
            if (errors.Count > 0)
                throw new CorpusFormatException($"{path}: {errors.Count.ToString(CultureInfo.InvariantCulture)} problem(s); first: {errors[0]}", errors.Take(100).ToList());
            return records;
        }
    }

    private static async Task<string?[]> Strings(ParquetRowGroupReader rows, DataField field, int count, CancellationToken token)
    {
        var values = new string?[count];
        await rows.ReadAsync(field, values.AsMemory(), cancellationToken: token).ConfigureAwait(false);
        return values;
    }

    private static async Task<long?[]> Integers(string path, ParquetRowGroupReader rows, DataField field, int count, CancellationToken token)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(int))
        {
            var values = new int?[count];
            await rows.ReadAsync(field, values.AsMemory(), cancellationToken: token).ConfigureAwait(false);
            return values.Select(v => (long?)v).ToArray();
        }
        if (type == typeof(long))
        {
            var values = new long?[count];
            await rows.ReadAsync(field, values.AsMemory(), cancellationToken: token).ConfigureAwait(false);
            return values;
        }
        throw new CorpusFormatException($"{path}: column '{field.Name}' must be int32 or int64, not {type.Name}");
    }
}
