using System.Globalization;
using Infra.Core.Metadata;

namespace Infra.Corpus;

/// <summary>
/// Turns the rows of one file (JSONL or Parquet alike) into records under <see cref="CorpusReaderOptions"/>: resolves
/// the columns, reads the difficulty (bins fitted over every row first), keeps every other scalar column as metadata,
/// and collects every problem of every row, so a bad file is refused as a whole before any work starts.
/// </summary>
internal static class CorpusRowMapper
{
    /// <summary>The records of <paramref name="rows"/>; generated ids are "<paramref name="source"/>-ROW"; errors name rows by <paramref name="unit"/> ("line", "row").</summary>
    /// <exception cref="ArgumentException">The options contradict themselves (see <see cref="DifficultyColumn.Create"/>).</exception>
    public static CorpusReadResult Map(IReadOnlyList<CorpusRow> rows, CorpusReaderOptions options, string source, string unit)
    {
        var present = rows.SelectMany(r => r.Values.Keys).ToHashSet(StringComparer.Ordinal);
        var plan = ColumnPlan.For(options, present);
        var difficulty = DifficultyColumn.Create(options, plan.Difficulty);
        var errors = new List<CorpusError>();
        var fileErrors = MissingColumns(plan, options, present, rows.Count).Select(m => new CorpusError(0, m) { Unit = unit }).ToList();
        errors.AddRange(fileErrors);
        difficulty.Fit(rows.Select(r => r.Values.GetValueOrDefault(plan.Difficulty)));
        var known = KnownColumns(plan, difficulty);
        var generatedIds = !plan.IdNamed && !present.Contains(plan.Id);
        var records = new List<CorpusRecord>();
        var firstRowOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        var invalid = 0;
        foreach (var row in rows)
        {
            var rowErrors = new List<string>(row.Errors);
            var record = row.Errors.Count == 0 && fileErrors.Count == 0 ? Record(row, plan, options, difficulty, known, generatedIds, source, rowErrors) : null;
            if (record is not null && firstRowOfId.TryGetValue(record.Id, out var first))
                rowErrors.Add($"duplicate id '{record.Id}' (first used on {unit} {first.ToString(CultureInfo.InvariantCulture)})");
            if (rowErrors.Count == 0 && record is not null)
            {
                firstRowOfId[record.Id] = row.Number;
                records.Add(record);
                continue;
            }
            invalid++;
            errors.AddRange(rowErrors.Select(m => new CorpusError(row.Number, m) { Unit = unit }));
        }
        return new CorpusReadResult(records, errors, errors.Count, invalid, rows.Count, difficulty.Scheme());
    }

    private static CorpusRecord? Record(CorpusRow row, ColumnPlan plan, CorpusReaderOptions options, DifficultyColumn difficulty,
        HashSet<string> known, bool generatedIds, string source, List<string> errors)
    {
        var id = generatedIds ? $"{source}-{row.Number.ToString(CultureInfo.InvariantCulture)}" : RowFields.RequiredText(row, plan.Id, errors);
        var domain = Domain(row, plan, options, errors);
        var level = difficulty.Level(row.Values.GetValueOrDefault(plan.Difficulty), errors);
        var messages = RowFields.Messages(row, plan.Messages, errors);
        string? prompt, response;
        if (plan.IsChat)
        {
            (prompt, response) = messages is null ? (RowFields.RequiredText(row, plan.Messages, errors), null) : ChatTurns.Split(messages, plan.Messages, errors);
        }
        else
        {
            prompt = Prompt(row, plan, errors);
            response = RowFields.RequiredText(row, plan.Response, errors);
        }
        var tags = RowFields.Tags(row, errors);
        var answer = known.Contains(CorpusFields.Answer) && plan.Prompt != CorpusFields.Answer && plan.Response != CorpusFields.Answer
            ? RowFields.Answer(row, errors)
            : null;
        if (errors.Count > 0) return null;
        return new CorpusRecord(id!, domain!, level, prompt!, response!)
        {
            Metadata = Metadata(row, known),
            Messages = messages,
            IsConversation = plan.IsChat,
            Tags = tags,
            Answer = answer,
        };
    }

    private static string? Domain(CorpusRow row, ColumnPlan plan, CorpusReaderOptions options, List<string> errors)
    {
        if (!row.Values.ContainsKey(plan.Domain) && options.Domain is { } fixedDomain) return fixedDomain;
        var domain = RowFields.RequiredText(row, plan.Domain, errors);
        if (domain is null && !row.Values.ContainsKey(plan.Domain)) errors[^1] += " (or give a fixed domain for rows without one)";
        return domain;
    }

    // Alpaca appends a non-empty input to the instruction after a blank line; other layouts read the prompt column alone.
    private static string? Prompt(CorpusRow row, ColumnPlan plan, List<string> errors)
    {
        var prompt = RowFields.RequiredText(row, plan.Prompt, errors);
        if (plan.Layout != CorpusLayout.InstructionOutput) return prompt;
        var input = RowFields.OptionalText(row, plan.Input, errors);
        return prompt is not null && !string.IsNullOrWhiteSpace(input) ? $"{prompt}\n\n{input}" : prompt;
    }

    private static HashSet<string> KnownColumns(ColumnPlan plan, DifficultyColumn difficulty)
    {
        var known = new HashSet<string>(StringComparer.Ordinal) { plan.Id, plan.Domain, plan.Messages, CorpusFields.Tags, CorpusFields.Answer };
        if (!plan.IsChat)
        {
            known.Add(plan.Prompt);
            known.Add(plan.Response);
        }
        if (plan.Layout == CorpusLayout.InstructionOutput) known.Add(plan.Input);
        // A mapped label or a binned rating stays as metadata, so reports can show "Level 3" and roll-ups group by rating.
        if (difficulty.IsLevel) known.Add(plan.Difficulty);
        return known;
    }

    private static Dictionary<string, MetadataValue> Metadata(CorpusRow row, HashSet<string> known)
    {
        var metadata = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
        foreach (var (name, value) in row.Values)
        {
            if (known.Contains(name)) continue;
            MetadataValue? scalar = value switch
            {
                string text => MetadataValue.Of(text),
                long integer => MetadataValue.Of(integer),
                double number => MetadataValue.Of(number),
                bool flag => MetadataValue.Of(flag),
                _ => null, // nested values other than messages and tags have no place in a group key
            };
            if (scalar is not null) metadata[name] = scalar;
        }
        return metadata;
    }

    // A column the user named that no row has is a mistake to name, not a default that did not apply; a required column
    // no row has is one error for the file rather than the same error on every row.
    private static IEnumerable<string> MissingColumns(ColumnPlan plan, CorpusReaderOptions options, HashSet<string> present, int rowCount)
    {
        if (rowCount == 0 || present.Count == 0) yield break;
        var layout = CorpusLayouts.Name(plan.Layout);
        var named = new List<(string Column, bool Named, string Role)>
        {
            (plan.Id, plan.IdNamed, "id"),
            (plan.Domain, plan.DomainNamed || options.Domain is null, "domain"),
            (plan.Difficulty, plan.DifficultyNamed || options.DifficultyMapping is not null || options.DifficultyBins != 0, "difficulty"),
        };
        if (plan.IsChat) named.Add((plan.Messages, true, "messages"));
        else
        {
            named.Add((plan.Prompt, true, "prompt"));
            named.Add((plan.Response, true, "response"));
        }
        if (plan.InputNamed) named.Add((plan.Input, true, "input"));
        foreach (var (column, required, role) in named)
        {
            if (required && !present.Contains(column))
                yield return $"no row has column '{column}' (the {role} column of layout {layout}); the rows have {string.Join(", ", present.Order(StringComparer.Ordinal))}";
        }
    }
}
