using Infra.Core.Errors;

namespace Infra.Aggregation.Sequences;

/// <summary>
/// Collects where sequences start and which blocks hold them, then turns the starts into a
/// partition: each sequence runs to the next one's start, the first begins at the region start.
/// </summary>
internal sealed class SegmentationBuilder
{
    private readonly List<(int Position, SequenceKind Kind, int? Block)> _anchors = [];
    private readonly List<(SequenceBlockKind Kind, int? Parent)> _blocks = [];

    public int AnchorCount => _anchors.Count;

    public int OpenBlock(SequenceBlockKind kind, int? parent)
    {
        _blocks.Add((kind, parent));
        return _blocks.Count - 1;
    }

    /// <summary>A sequence starts at <paramref name="position"/>; positions must increase.</summary>
    public int Anchor(int position, SequenceKind kind, int? block)
    {
        if (_anchors.Count > 0 && position <= _anchors[^1].Position)
            throw DomainException.FailedPrecondition($"sequence starts must increase: {position} after {_anchors[^1].Position}");
        _anchors.Add((position, kind, block));
        return _anchors.Count - 1;
    }

    public void Retag(int anchor, SequenceKind kind, int? block) => _anchors[anchor] = (_anchors[anchor].Position, kind, block);

    public ResponseSegmentation Build(int start, int length)
    {
        var end = start + length;
        if (_anchors.Count == 0)
            return new ResponseSegmentation(start, length, length == 0 ? [] : [new Sequence(0, SequenceKind.Blank, start, length, null)], []);
        var sequences = new Sequence[_anchors.Count];
        for (var i = 0; i < _anchors.Count; i++)
        {
            // Whatever precedes the first content (leading blank lines) belongs to the first sequence.
            var from = i == 0 ? start : _anchors[i].Position;
            var to = i + 1 < _anchors.Count ? _anchors[i + 1].Position : end;
            sequences[i] = new Sequence(i, _anchors[i].Kind, from, to - from, _anchors[i].Block);
        }
        var spans = new (int Start, int End)[_blocks.Count];
        Array.Fill(spans, (int.MaxValue, int.MinValue));
        foreach (var sequence in sequences)
        {
            for (var block = sequence.Block; block is { } b; block = _blocks[b].Parent)
                spans[b] = (Math.Min(spans[b].Start, sequence.Start), Math.Max(spans[b].End, sequence.End));
        }
        var blocks = _blocks.Select((b, i) => new SequenceBlock(i, b.Kind, spans[i].Start, spans[i].End - spans[i].Start, b.Parent)).ToArray();
        return new ResponseSegmentation(start, length, sequences, blocks);
    }
}
