namespace Infra.Aggregation.Sequences;

/// <summary>
/// Tags sequences with the behaviours of a <see cref="BehaviourLexicon"/> whose phrases occur in
/// them. A phrase is looked for inside one sequence's text, so a phrase split across two
/// sentences is not found; a block (step, code block) carries the union of its sequences' tags.
/// </summary>
public sealed class SequenceTagger(BehaviourLexicon lexicon)
{
    private readonly BehaviourLexicon _lexicon = lexicon ?? throw new ArgumentNullException(nameof(lexicon));

    /// <summary>A tagger with <see cref="BehaviourLexicon.Default"/>.</summary>
    public SequenceTagger()
        : this(BehaviourLexicon.Default)
    {
    }

    /// <summary>The lexicon used.</summary>
    public BehaviourLexicon Lexicon => _lexicon;

    /// <summary>Per sequence (same order), the behaviour tags found in its span of <paramref name="text"/>.</summary>
    public IReadOnlyList<IReadOnlySet<string>> Tag(string text, IReadOnlyList<Sequence> sequences)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sequences);
        return sequences.Select(s => s.Kind == SequenceKind.End
            ? new HashSet<string>(StringComparer.Ordinal)
            : _lexicon.Tag(text.Substring(s.Start, s.Length))).ToArray();
    }

    /// <summary>Per block of <paramref name="segmentation"/> (same order), the union of the tags of the sequences under it (nested blocks included).</summary>
    public IReadOnlyList<IReadOnlySet<string>> TagBlocks(string text, ResponseSegmentation segmentation)
    {
        ArgumentNullException.ThrowIfNull(segmentation);
        var sequenceTags = Tag(text, segmentation.Sequences);
        var blockTags = segmentation.Blocks.Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToArray();
        for (var i = 0; i < segmentation.Sequences.Count; i++)
        {
            for (var block = segmentation.Sequences[i].Block; block is { } b; block = segmentation.Blocks[b].Parent)
                blockTags[b].UnionWith(sequenceTags[i]);
        }
        return blockTags;
    }
}
