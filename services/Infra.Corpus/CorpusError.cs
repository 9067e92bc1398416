using System.Globalization;

namespace Infra.Corpus;

/// <summary>A problem with one line (JSONL) or row (Parquet) of a corpus file; <see cref="Line"/> is 1-based, 0 for the file as a whole.</summary>
public sealed record CorpusError(int Line, string Message)
{
    /// <summary>What <see cref="Line"/> counts: "line" or "row". Defaults to "line".</summary>
    public string Unit { get; init; } = "line";

    public override string ToString() => Line == 0 ? Message : $"{Unit} {Line.ToString(CultureInfo.InvariantCulture)}: {Message}";
}
