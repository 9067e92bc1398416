namespace Infra.Aggregation.Sequences;

/// <summary>
/// Cuts a response into sequences: a flat, ordered partition in which every character lies in
/// exactly one sequence, with parent blocks (steps, code blocks, fenced code) above them.
/// </summary>
/// <remarks>
/// <para>Regions: a line starting with three or more backticks or tildes opens a code fence, closed
/// by a line of at least as many of the same character (an unclosed fence runs to the end). Fence
/// lines are <see cref="SequenceKind.Fence"/> sequences; the lines between are code. In a response
/// with a fence, every other line is prose; in one without, the <see cref="SegmentationMode"/> decides.</para>
/// <para>Prose: each step (<see cref="SequenceSegmenterOptions.StepBoundary"/>) is a
/// <see cref="SequenceBlockKind.Step"/> block holding its <see cref="SequenceKind.Sentence"/>s;
/// a sentence never crosses a line (see <c>SentenceSplitter</c> for where sentences end).
/// Code: statements and indented blocks (see <c>CodeStatementReader</c>).</para>
/// <para>Whitespace, deterministically: a line's indentation belongs to the first sequence on it;
/// the spaces between two sentences or statements on one line belong to the later one (the
/// tokenizer puts a word's leading space on the word); the line break, and any blank lines after it,
/// belong to the last sequence before them; blank lines at the very start belong to the first
/// sequence. A whitespace-only response is one <see cref="SequenceKind.Blank"/> sequence; an empty
/// one has none.</para>
/// </remarks>
public sealed class SequenceSegmenter(SequenceSegmenterOptions? options = null)
{
    private readonly SequenceSegmenterOptions _options = options ?? new SequenceSegmenterOptions();

    /// <summary>Segments the whole of <paramref name="response"/>.</summary>
    public ResponseSegmentation Segment(string response, SegmentationMode mode)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Segment(response, 0, response.Length, mode);
    }

    /// <summary>
    /// Segments [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) of
    /// <paramref name="text"/>; spans are offsets into <paramref name="text"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The region is not inside the text.</exception>
    public ResponseSegmentation Segment(string text, int start, int length, SegmentationMode mode)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + length, text.Length, nameof(length));
        var lines = TextLine.Split(text, start, length);
        var regions = FencedRegions(text, lines);
        var builder = new SegmentationBuilder();
        var code = new CodeStatementReader(text, builder, _options.TabWidth);
        var outsideIsCode = regions.Count == 0 && mode == SegmentationMode.Code;
        var line = 0;
        foreach (var fence in regions.Append((Open: lines.Count, Close: -1)))
        {
            var outside = lines.GetRange(line, fence.Open - line);
            if (outsideIsCode)
                code.Read(outside, parent: null);
            else
                ReadProse(text, outside, builder);
            if (fence.Open == lines.Count)
                break;
            var block = builder.OpenBlock(SequenceBlockKind.FencedCode, parent: null);
            builder.Anchor(lines[fence.Open].Start, SequenceKind.Fence, block);
            var innerEnd = fence.Close < 0 ? lines.Count : fence.Close;
            code.Read(lines.GetRange(fence.Open + 1, innerEnd - fence.Open - 1), block);
            if (fence.Close >= 0)
                builder.Anchor(lines[fence.Close].Start, SequenceKind.Fence, block);
            line = fence.Close < 0 ? lines.Count : fence.Close + 1;
        }
        return builder.Build(start, length);
    }

    private void ReadProse(string text, List<TextLine> lines, SegmentationBuilder builder)
    {
        int? step = null;
        foreach (var line in lines)
        {
            if (line.IsBlank)
            {
                step = null;
                continue;
            }
            if (step is null || _options.StepBoundary == StepBoundary.Line)
                step = builder.OpenBlock(SequenceBlockKind.Step, parent: null);
            builder.Anchor(line.Start, SequenceKind.Sentence, step);
            foreach (var sentence in SentenceSplitter.InnerStarts(text, line))
                builder.Anchor(sentence, SequenceKind.Sentence, step);
        }
    }

    /// <summary>Pairs of (opening line, closing line or -1 when the fence runs to the end).</summary>
    private static List<(int Open, int Close)> FencedRegions(string text, List<TextLine> lines)
    {
        var regions = new List<(int Open, int Close)>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (FenceRun(text, lines[i], out var marker) is not (>= 3 and var run))
                continue;
            var info = text.AsSpan(lines[i].ContentStart + run, lines[i].ContentEnd - lines[i].ContentStart - run);
            if (marker == '`' && info.Contains('`'))
                continue; // "```x```" is inline code, not a fence (CommonMark)
            var close = -1;
            for (var j = i + 1; j < lines.Count && close < 0; j++)
            {
                if (FenceRun(text, lines[j], out var m) is var r && m == marker && r >= run && r == lines[j].ContentEnd - lines[j].ContentStart)
                    close = j;
            }
            regions.Add((i, close));
            if (close < 0)
                break;
            i = close;
        }
        return regions;
    }

    private static int FenceRun(string text, TextLine line, out char marker)
    {
        marker = line.IsBlank ? '\0' : text[line.ContentStart];
        if (marker is not ('`' or '~'))
            return 0;
        var run = 0;
        while (line.ContentStart + run < line.ContentEnd && text[line.ContentStart + run] == marker) run++;
        return run;
    }
}
