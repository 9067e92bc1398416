namespace Infra.Corpus;

/// <summary>
/// One row of a corpus file before it is mapped to a record, the same for JSONL and Parquet so both give the same
/// records: scalar values as string, long, double or bool; nested values as a <see cref="System.Text.Json.JsonElement"/>;
/// a null is absent. <see cref="Errors"/> holds what made the row unreadable (invalid JSON, not an object).
/// </summary>
/// <param name="Number">1-based line (JSONL) or row (Parquet) number.</param>
/// <param name="Values">The row's non-null values by column name.</param>
/// <param name="Errors">Why the row could not be read; empty when it could.</param>
internal sealed record CorpusRow(int Number, IReadOnlyDictionary<string, object> Values, IReadOnlyList<string> Errors)
{
    /// <summary>A row that could not be read at all.</summary>
    public static CorpusRow Unreadable(int number, string error) => new(number, new Dictionary<string, object>(), [error]);

    /// <summary>How an error message names a value's type: string, number, true, false, object, array.</summary>
    public static string KindOf(object value) => value switch
    {
        string => "string",
        long or double => "number",
        bool flag => flag ? "true" : "false",
        System.Text.Json.JsonElement e => e.ValueKind.ToString().ToLowerInvariant(),
        _ => value.GetType().Name,
    };

    /// <summary>A value as an error message quotes it: strings in double quotes, numbers invariant, nested as JSON.</summary>
    public static string Quote(object value) => value switch
    {
        string text => $"\"{text}\"",
        long integer => integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
        double number => number.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        System.Text.Json.JsonElement e => e.GetRawText(),
        _ => value.ToString() ?? "",
    };
}
