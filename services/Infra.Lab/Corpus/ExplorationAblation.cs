using System.Text;

namespace Infra.Lab.Corpus;

/// <summary>
/// Removes tagged exploratory spans from a response: the ablation that asks how much of an
/// example's influence sits in its verification, exploration and backtracking. Because spans cover
/// whole lines, what is left is still a complete solution with its final answer.
/// </summary>
public static class ExplorationAblation
{
    /// <summary>
    /// Returns <paramref name="response"/> without the spans whose kind is in <paramref name="kinds"/>
    /// (all kinds when null).
    /// </summary>
    public static string Strip(string response, IReadOnlyList<TaggedSpan> spans, IReadOnlySet<SpanKind>? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(spans);
        var kept = new StringBuilder(response.Length);
        var position = 0;
        foreach (var span in spans.Where(s => kinds is null || kinds.Contains(s.Kind)).OrderBy(s => s.Start))
        {
            if (span.Start < position || span.Start + span.Length > response.Length)
            {
                throw new ArgumentException($"span {span} overlaps another or lies outside the response", nameof(spans));
            }
            kept.Append(response, position, span.Start - position);
            position = span.Start + span.Length;
        }
        kept.Append(response, position, response.Length - position);
        return kept.ToString().TrimEnd('\n');
    }
}
