using Infra.Aggregation.Sequences;

namespace Infra.Aggregation.Tests.Sequences;

/// <summary>Checks that a segmentation is a partition of its region and that blocks are consistent with it.</summary>
internal static class PartitionAssert
{
    public static void Covers(ResponseSegmentation segmentation)
    {
        var position = segmentation.Start;
        for (var i = 0; i < segmentation.Sequences.Count; i++)
        {
            var sequence = segmentation.Sequences[i];
            Assert.Equal(i, sequence.Index);
            Assert.Equal(position, sequence.Start);
            Assert.True(sequence.Length > 0, $"sequence {i} is empty");
            position = sequence.End;
            if (sequence.Block is { } block)
                Assert.InRange(block, 0, segmentation.Blocks.Count - 1);
        }
        Assert.Equal(segmentation.Start + segmentation.Length, position);
        foreach (var block in segmentation.Blocks)
        {
            var members = segmentation.Sequences.Where(s => IsUnder(segmentation, s, block.Index)).ToList();
            Assert.NotEmpty(members);
            Assert.Equal(members.Min(s => s.Start), block.Start);
            Assert.Equal(members.Max(s => s.End), block.End);
            // A block's sequences are consecutive.
            Assert.Equal(members.Count, members[^1].Index - members[0].Index + 1);
        }
    }

    private static bool IsUnder(ResponseSegmentation segmentation, Sequence sequence, int block)
    {
        for (var b = sequence.Block; b is { } i; b = segmentation.Blocks[i].Parent)
        {
            if (i == block)
                return true;
        }
        return false;
    }
}
