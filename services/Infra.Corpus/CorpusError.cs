namespace Infra.Corpus;

/// <summary>A problem with one line of a corpus file; <see cref="Line"/> is 1-based.</summary>
public sealed record CorpusError(int Line, string Message)
{
    public override string ToString() => $"line {Line.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {Message}";
}
