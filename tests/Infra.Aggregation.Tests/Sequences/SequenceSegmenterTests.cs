using Infra.Aggregation.Sequences;

namespace Infra.Aggregation.Tests.Sequences;

public sealed class SequenceSegmenterTests
{
    private static readonly SequenceSegmenter Segmenter = new();

    private static (ResponseSegmentation Segmentation, string[] Texts) Cut(string text, SegmentationMode mode, SequenceSegmenter? segmenter = null)
    {
        var segmentation = (segmenter ?? Segmenter).Segment(text, mode);
        PartitionAssert.Covers(segmentation);
        return (segmentation, segmentation.Sequences.Select(s => text.Substring(s.Start, s.Length)).ToArray());
    }

    [Fact]
    public void Math_response_has_one_step_per_line_and_sentences_within_them()
    {
        const string text = "I need to isolate x.\nSubtract 6 from both sides: 9 - 6 = 3, so 15x = 3.\n" +
            "Wait, let me verify each step by undoing it: 3 + 6 = 9. Every step checks out.\nThe answer is 1/5.";
        var (segmentation, texts) = Cut(text, SegmentationMode.Prose);
        Assert.Equal(
        [
            "I need to isolate x.\n",
            "Subtract 6 from both sides: 9 - 6 = 3, so 15x = 3.\n",
            "Wait, let me verify each step by undoing it: 3 + 6 = 9.",
            " Every step checks out.\n",
            "The answer is 1/5.",
        ], texts);
        Assert.All(segmentation.Sequences, s => Assert.Equal(SequenceKind.Sentence, s.Kind));
        Assert.Equal(4, segmentation.Blocks.Count);
        Assert.All(segmentation.Blocks, b => Assert.Equal(SequenceBlockKind.Step, b.Kind));
        Assert.Equal(segmentation.Sequences[2].Block, segmentation.Sequences[3].Block);
        Assert.Equal(text.IndexOf("Wait", StringComparison.Ordinal), segmentation.Blocks[2].Start);
    }

    [Theory]
    [InlineData("The price is 3.5 dollars. Then we add 2.")]
    [InlineData("Use a common factor, e.g. 6, and cancel. Done.")]
    [InlineData("Many kinds, i.e. three, etc. are allowed. Done.")]
    [InlineData("So x = 2. Next, y = x + 1 = 3.")]
    [InlineData("Compute `a.b. C` first. Done.")]
    [InlineData("It is 10 km. then it stops.")]
    public void Sentences_do_not_end_at_decimals_abbreviations_inline_code_or_before_lower_case(string line)
    {
        var (_, texts) = Cut(line, SegmentationMode.Prose);
        var expected = line.EndsWith("stops.", StringComparison.Ordinal) ? 1 : 2;
        Assert.Equal(expected, texts.Length);
        Assert.Equal(line, string.Concat(texts));
        if (expected == 2)
            Assert.StartsWith(" ", texts[1], StringComparison.Ordinal);
    }

    [Fact]
    public void List_numbering_starts_a_step_and_is_not_a_sentence()
    {
        const string text = "1. Add the costs. That gives 12.\n2. Subtract from 20!\n  b. Is it 8? Yes.";
        var (_, texts) = Cut(text, SegmentationMode.Prose);
        Assert.Equal(["1. Add the costs.", " That gives 12.\n", "2. Subtract from 20!\n", "  b. Is it 8?", " Yes."], texts);
    }

    [Fact]
    public void Blank_lines_go_with_the_sequence_before_and_leading_ones_with_the_first()
    {
        const string text = "\n\nFirst step.\n\n\nSecond step.\n\n";
        var (segmentation, texts) = Cut(text, SegmentationMode.Prose);
        Assert.Equal(["\n\nFirst step.\n\n\n", "Second step.\n\n"], texts);
        Assert.Equal(2, segmentation.Blocks.Count);
    }

    [Fact]
    public void Paragraph_steps_hold_every_line_of_a_paragraph()
    {
        var segmenter = new SequenceSegmenter(new SequenceSegmenterOptions { StepBoundary = StepBoundary.Paragraph });
        const string text = "One. Two.\nThree.\n\nFour.";
        var (segmentation, texts) = Cut(text, SegmentationMode.Prose, segmenter);
        Assert.Equal(["One.", " Two.\n", "Three.\n\n", "Four."], texts);
        Assert.Equal([0, 0, 0, 1], segmentation.Sequences.Select(s => s.Block!.Value));
    }

    [Fact]
    public void Bare_code_has_statements_and_blocks_under_headers()
    {
        const string text = "def count_above(xs):\n    count = 0\n    for x in xs:\n        if x > 29:\n            count += 1\n\n    return count\nprint(count_above([1, 40]))";
        var (segmentation, texts) = Cut(text, SegmentationMode.Code);
        Assert.Equal(
        [
            "def count_above(xs):\n", "    count = 0\n", "    for x in xs:\n", "        if x > 29:\n", "            count += 1\n\n",
            "    return count\n", "print(count_above([1, 40]))",
        ], texts);
        Assert.Equal(
        [
            SequenceKind.CodeBlockHeader, SequenceKind.CodeLine, SequenceKind.CodeBlockHeader, SequenceKind.CodeBlockHeader,
            SequenceKind.CodeLine, SequenceKind.CodeLine, SequenceKind.CodeLine,
        ], segmentation.Sequences.Select(s => s.Kind));
        Assert.Equal(3, segmentation.Blocks.Count);
        Assert.All(segmentation.Blocks, b => Assert.Equal(SequenceBlockKind.CodeBlock, b.Kind));
        // def (0) holds for (1), which holds if (2); "return" is back in def; the call is outside.
        Assert.Equal([null, 0, 1], segmentation.Blocks.Select(b => b.Parent));
        Assert.Equal([0, 0, 1, 2, 2, 0, null], segmentation.Sequences.Select(s => s.Block));
        Assert.Equal(text.LastIndexOf("print", StringComparison.Ordinal), segmentation.Blocks[0].End);
    }

    [Fact]
    public void Code_statements_continue_inside_brackets_and_strings_and_split_at_semicolons()
    {
        const string text = "xs = [1,\n      2]  # a list: of two\ns = \"a;b:\"; t = 'c'\nif x: y = 1\nz = \"\"\"doc\n: still\"\"\"\nw = 1 + \\\n    2";
        var (segmentation, texts) = Cut(text, SegmentationMode.Code);
        Assert.Equal(["xs = [1,\n      2]  # a list: of two\n", "s = \"a;b:\";", " t = 'c'\n", "if x: y = 1\n", "z = \"\"\"doc\n: still\"\"\"\n", "w = 1 + \\\n    2"], texts);
        Assert.All(segmentation.Sequences, s => Assert.Equal(SequenceKind.CodeLine, s.Kind));
        Assert.Empty(segmentation.Blocks);
    }

    [Fact]
    public void Fenced_code_in_prose_is_read_as_code_and_fence_lines_are_their_own_sequences()
    {
        const string text = "I loop once. Then I return.\n```python\ndef f(x):\n    return 21 * x + 8\n```\nWait, let me verify with an example: running f(1) gives 29.";
        var (segmentation, texts) = Cut(text, SegmentationMode.Prose);
        Assert.Equal(["I loop once.", " Then I return.\n", "```python\n", "def f(x):\n", "    return 21 * x + 8\n", "```\n", "Wait, let me verify with an example: running f(1) gives 29."], texts);
        Assert.Equal(
        [
            SequenceKind.Sentence, SequenceKind.Sentence, SequenceKind.Fence, SequenceKind.CodeBlockHeader, SequenceKind.CodeLine,
            SequenceKind.Fence, SequenceKind.Sentence,
        ], segmentation.Sequences.Select(s => s.Kind));
        var fence = segmentation.Blocks.Single(b => b.Kind == SequenceBlockKind.FencedCode);
        var def = segmentation.Blocks.Single(b => b.Kind == SequenceBlockKind.CodeBlock);
        Assert.Equal(fence.Index, def.Parent);
        Assert.Equal(text.IndexOf("```python", StringComparison.Ordinal), fence.Start);
        Assert.Equal(text.IndexOf("Wait", StringComparison.Ordinal), fence.End);
        Assert.Equal([fence.Index, def.Index, def.Index, fence.Index], segmentation.Sequences.Skip(2).Take(4).Select(s => s.Block!.Value));
    }

    [Fact]
    public void Code_mode_with_fences_reads_the_text_outside_them_as_prose()
    {
        const string text = "So the program prints:\n```\n36 27\n```";
        var (segmentation, texts) = Cut(text, SegmentationMode.Code);
        Assert.Equal(["So the program prints:\n", "```\n", "36 27\n", "```"], texts);
        Assert.Equal([SequenceKind.Sentence, SequenceKind.Fence, SequenceKind.CodeLine, SequenceKind.Fence], segmentation.Sequences.Select(s => s.Kind));
    }

    [Fact]
    public void Unclosed_fence_runs_to_the_end_and_inline_triple_backticks_are_not_a_fence()
    {
        const string text = "Use ```x``` here.\n~~~~\nx = 1\n~~~\ny = 2";
        var (segmentation, texts) = Cut(text, SegmentationMode.Prose);
        Assert.Equal(["Use ```x``` here.\n", "~~~~\n", "x = 1\n", "~~~\n", "y = 2"], texts);
        Assert.Equal([SequenceKind.Sentence, SequenceKind.Fence, SequenceKind.CodeLine, SequenceKind.CodeLine, SequenceKind.CodeLine], segmentation.Sequences.Select(s => s.Kind));
    }

    [Fact]
    public void Whitespace_only_and_empty_responses()
    {
        var (blank, texts) = Cut(" \n\t", SegmentationMode.Prose);
        Assert.Equal([" \n\t"], texts);
        Assert.Equal(SequenceKind.Blank, blank.Sequences[0].Kind);
        var (empty, _) = Cut("", SegmentationMode.Code);
        Assert.Empty(empty.Sequences);
    }

    [Fact]
    public void Region_of_a_larger_text_gives_spans_in_that_text()
    {
        const string text = "<|im_start|>assistant\nOne. Two.<|im_end|>\n";
        var start = text.IndexOf("One", StringComparison.Ordinal);
        var segmentation = Segmenter.Segment(text, start, "One. Two.".Length, SegmentationMode.Prose);
        PartitionAssert.Covers(segmentation);
        Assert.Equal([(start, 4), (start + 4, 5)], segmentation.Sequences.Select(s => (s.Start, s.Length)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Segmenter.Segment(text, start, text.Length, SegmentationMode.Prose));
    }

    [Fact]
    public void Every_lab_response_is_partitioned_exactly()
    {
        foreach (var example in TestData.Corpus)
        {
            var segmentation = Segmenter.Segment(example.Response, SegmentationModes.For(example.Domain));
            PartitionAssert.Covers(segmentation);
            Assert.Equal(example.Response, string.Concat(segmentation.Sequences.Select(s => example.Response.Substring(s.Start, s.Length))));
        }
    }
}
