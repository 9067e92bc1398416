namespace Infra.Lab.Corpus;

/// <summary>
/// A tagged stretch of a response: <paramref name="Start"/> and <paramref name="Length"/> count
/// UTF-16 code units (the generated text is ASCII, so also bytes and code points). Each span
/// covers whole lines including the newline, so removing it leaves well-formed text.
/// </summary>
public sealed record TaggedSpan(SpanKind Kind, int Start, int Length);
