using Infra.Core.Errors;
using Infra.Aggregation.Sequences;
using Infra.Core.Text;

namespace Infra.Aggregation.Tests.Sequences;

public sealed class SequenceTokenMapTests
{
    [Fact]
    public void Sequence_scores_are_hand_computed_sums_and_the_end_token_has_its_own_sequence()
    {
        // "<|im_start|>assistant\n" | "So" " x" "." " Done" "." "<|im_end|>" | "\n"
        const string text = "<|im_start|>assistant\nSo x. Done.<|im_end|>\n";
        string[] tokens = ["<|im_start|>", "assistant", "\n", "So", " x", ".", " Done", ".", "<|im_end|>", "\n"];
        var starts = new int[tokens.Length];
        for (var i = 1; i < tokens.Length; i++) starts[i] = starts[i - 1] + tokens[i - 1].Length;
        byte[] mask = [0, 0, 0, 1, 1, 1, 1, 1, 1, 0];
        float[] scores =
        [
            100, 100, 100, 100, 100, 100,
            1, 10, 2, 20, 3, 30,
            4, 40, 5, 50, 6, 60,
            100, 100,
        ];
        var scored = new ScoredTokens(text, tokens, starts, tokens.Select(t => t.Length).ToArray(), mask, scores, 2);
        var map = SequenceTokenMap.Build(scored, SegmentationMode.Prose);
        MapAssert.Consistent(map);
        Assert.Equal([SequenceKind.Sentence, SequenceKind.Sentence, SequenceKind.End], map.Sequences.Select(s => s.Kind));
        Assert.Equal([-1, -1, -1, 0, 0, 0, 1, 1, 2, -1], map.TokenSequence);
        Assert.Equal([1 + 2 + 3, 10 + 20 + 30, 4 + 5, 40 + 50, 6, 60], map.Scores);
        Assert.Equal((text.IndexOf("<|im_end|>", StringComparison.Ordinal), "<|im_end|>".Length), (map.Sequences[2].Start, map.Sequences[2].Length));
        Assert.Equal(" Done.", text.Substring(map.Sequences[1].Start, map.Sequences[1].Length));
    }

    [Fact]
    public void Bad_inputs_are_refused_with_the_problem_named()
    {
        var ok = new ScoredTokens("ab", ["a", "b"], [0, 1], [1, 1], [0, 1], [1f, 2f], 1);
        Assert.Contains("scores", Assert.Throws<DomainException>(() => SequenceTokenMap.Build(ok with { Scores = [1f] }, SegmentationMode.Prose)).Message, StringComparison.Ordinal);
        Assert.Contains("outside the text", Assert.Throws<DomainException>(() => SequenceTokenMap.Build(ok with { CharStarts = [0, 2] }, SegmentationMode.Prose)).Message, StringComparison.Ordinal);
        Assert.Contains("no loss-mask", Assert.Throws<DomainException>(() => SequenceTokenMap.Build(ok with { LossMask = [0, 0] }, SegmentationMode.Prose)).Message, StringComparison.Ordinal);
        Assert.Contains("loss-mask entries", Assert.Throws<DomainException>(() => SequenceTokenMap.Build(ok with { LossMask = [1] }, SegmentationMode.Prose)).Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Responses => new()
    {
        { "math", "I need to isolate x.\nSubtract 6 from both sides: 9 - 6 = 3, so 15x = 3.\nWait, let me verify: 3 + 6 = 9. Correct.\nThe answer is 1/5." },
        { "code", "def f(xs):\n    total = 0\n    for x in xs:\n        if x > 2:\n            total += x\n    return total" },
        { "code", "I loop over the list once.\n```python\ndef f(x):\n    return 21 * x + 8\n```\nWait, let me verify with an example: running f(1) on this code gives 29." },
        { "math", "Le café coûte 3,50 € — ça fait ≤ 7 €. Ensuite 😀 donne 2.\n\n```\nx = 1 → 2\n```" },
        { "math", "\n  Leading blank line, trailing spaces.   \n\n" },
        { "math", "" },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public void Real_tokenizer_offsets_map_every_response_token_once(string domain, string response)
    {
        var example = ChatTemplate.Build(TestData.Tokenizer, null, "Solve it.", response, ChatFormat.Qwen25);
        var scored = ScoredTokens.FromEncoded(example, MapAssert.RandomScores(example.Ids.Length, 3, response.Length), 3);
        var map = SequenceTokenMap.Build(scored, SegmentationModes.For(domain));
        MapAssert.Consistent(map);
        Assert.Equal(example.ResponseCharStart, map.Segmentation.Start);
        Assert.Equal(response.Length, map.Segmentation.Length);
        Assert.Equal(SequenceKind.End, map.Sequences[^1].Kind);
        Assert.Equal("<|im_end|>", example.RenderedText.Substring(map.Sequences[^1].Start, map.Sequences[^1].Length));
    }

    [Fact]
    public void Byte_level_pieces_of_one_character_stay_in_one_sequence()
    {
        const string response = "A 😀 b. Zoë ≤ 2.";
        var example = ChatTemplate.Build(TestData.Tokenizer, null, "Hi.", response, ChatFormat.Qwen25);
        var scored = ScoredTokens.FromEncoded(example, MapAssert.RandomScores(example.Ids.Length, 1, 1), 1);
        var map = SequenceTokenMap.Build(scored, SegmentationMode.Prose);
        MapAssert.Consistent(map);
        var emoji = example.RenderedText.IndexOf("😀", StringComparison.Ordinal);
        var pieces = Enumerable.Range(0, example.Ids.Length).Where(t => example.CharStarts[t] == emoji).ToList();
        Assert.True(pieces.Count >= 2, $"the emoji is {pieces.Count} token(s); expected byte-level pieces");
        Assert.Single(pieces.Select(t => map.TokenSequence[t]).Distinct());
        Assert.Equal(3, map.Sequences.Count); // two sentences and the end
    }

    [Fact]
    public void Plain_format_without_an_end_token_has_no_end_sequence()
    {
        var example = ChatTemplate.Build(TestData.Tokenizer, null, "Q: ", "So x = 2. Done.", ChatFormat.Plain, new ChatTemplateOptions { AppendEos = false });
        var map = SequenceTokenMap.Build(ScoredTokens.FromEncoded(example, MapAssert.RandomScores(example.Ids.Length, 2, 5), 2), SegmentationMode.Prose);
        MapAssert.Consistent(map);
        Assert.DoesNotContain(map.Sequences, s => s.Kind == SequenceKind.End);
        Assert.Equal(2, map.Sequences.Count);
    }
}
