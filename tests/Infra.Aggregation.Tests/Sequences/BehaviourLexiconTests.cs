using Infra.Aggregation.Sequences;

namespace Infra.Aggregation.Tests.Sequences;

public sealed class BehaviourLexiconTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("behaviour-lexicon-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("Wait, let me verify: 3 + 6 = 9.", "reflection,verification")]
    [InlineData("LET'S VERIFY this. It checks out.", "verification")]
    [InlineData("Let\u2019s double check the sum.", "verification")]
    [InlineData("Alternatively, divide everything by 3 first.", "exploration")]
    [InlineData("Another   way\nis to count.", "exploration")]
    [InlineData("Hmm, my first thought was 4 + 1 = 5. Let me go back and redo it.", "backtracking,reflection")]
    [InlineData("Actually, that's wrong.", "backtracking,reflection")]
    [InlineData("The task awaited; a checkout of hmmm tokens.", "")]
    [InlineData("", "")]
    public void Default_lexicon_tags_case_insensitively_on_word_boundaries(string text, string expected)
    {
        var tags = BehaviourLexicon.Default.Tag(text).Order(StringComparer.Ordinal);
        Assert.Equal(expected, string.Join(',', tags));
    }

    [Fact]
    public void Matches_report_tag_phrase_and_position_preferring_the_longest_phrase()
    {
        const string text = "So 12. Wait, let me verify it. Alternatively, we can also add.";
        var matches = BehaviourLexicon.Default.Matches(text);
        Assert.Equal(
        [
            ("reflection", "wait", text.IndexOf("Wait", StringComparison.Ordinal), 4),
            ("verification", "let me verify", text.IndexOf("let me", StringComparison.Ordinal), 13),
            ("exploration", "alternatively", text.IndexOf("Alternatively", StringComparison.Ordinal), 13),
            ("exploration", "we can also", text.IndexOf("we can", StringComparison.Ordinal), 11),
        ], matches.Select(m => (m.Tag, m.Phrase, m.Start, m.Length)));
    }

    [Fact]
    public void A_user_file_replaces_the_default()
    {
        var path = Write("mine.json", """{"_comment": "x", "behaviours": {"planning": ["first I will", "my plan"], "doubt": ["not sure"]}}""");
        var lexicon = BehaviourLexicon.Load(path);
        Assert.Equal(["planning", "doubt"], lexicon.Tags);
        Assert.Equal(["planning"], lexicon.Tag("First  I will add. Wait."));
        Assert.Equal(["doubt"], lexicon.Tag("I am NOT sure."));
    }

    [Theory]
    [InlineData("{\"behaviours\": {\"a\": [\"x\"]", "is not valid JSON")]
    [InlineData("[1, 2]", "the top level must be an object, not a list")]
    [InlineData("{\"tags\": {}}", "has no \"behaviours\" object")]
    [InlineData("{\"behaviours\": [\"wait\"]}", "\"behaviours\" must be an object")]
    [InlineData("{\"behaviours\": {}}", "\"behaviours\" has no tags")]
    [InlineData("{\"behaviours\": {\"v\": \"verify\"}}", "behaviour tag 'v' must be a list of phrases, not a string")]
    [InlineData("{\"behaviours\": {\"v\": []}}", "behaviour tag 'v' has no phrases")]
    [InlineData("{\"behaviours\": {\"v\": [\"verify\", 3]}}", "phrase 1 of behaviour tag 'v' must be a string, not a number")]
    [InlineData("{\"behaviours\": {\"v\": [\"verify\", \"  \"]}}", "phrase 1 of behaviour tag 'v' is empty")]
    [InlineData("{\"behaviours\": {\"v\": [\"a\"], \"v\": [\"b\"]}}", "behaviour tag 'v' appears twice")]
    public void Bad_files_are_refused_naming_the_file_and_the_problem(string json, string problem)
    {
        var path = Write("bad.json", json);
        var error = Assert.Throws<BehaviourLexiconException>(() => BehaviourLexicon.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_refused_naming_it()
    {
        var path = Path.Combine(_folder, "absent.json");
        var error = Assert.Throws<BehaviourLexiconException>(() => BehaviourLexicon.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tagger_tags_sequences_and_blocks_get_the_union()
    {
        const string text = "I add them.\nWait, let me verify: 3 + 4 = 7. Every step checks out.\n```python\nx = 1  # let me check\n```";
        var segmentation = new SequenceSegmenter().Segment(text, SegmentationMode.Prose);
        var tagger = new SequenceTagger();
        var tags = tagger.Tag(text, segmentation.Sequences).Select(t => string.Join(',', t.Order(StringComparer.Ordinal))).ToList();
        Assert.Equal(["", "reflection,verification", "verification", "", "verification", ""], tags);
        var blocks = tagger.TagBlocks(text, segmentation).Select(t => string.Join(',', t.Order(StringComparer.Ordinal))).ToList();
        Assert.Equal(["", "reflection,verification", "verification"], blocks);
    }

    private string Write(string name, string json)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, json);
        return path;
    }
}
