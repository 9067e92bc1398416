using Infra.Torch.Gradients;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Gradients;

/// <summary>
/// The GPU path of the engine's host copy (tensors gathered on the device, one transfer per group, split per example on
/// the host) against the direct per-tensor copy it replaces. CI has no GPU, so the gathered path is driven on the CPU
/// through a pageable buffer; the gathering, grouping and splitting it checks are the same code.
/// </summary>
public sealed class DeferredHostCopyTests
{
    [Theory]
    [InlineData(4)] // every tensor over the cap: each copied alone, directly
    [InlineData(64)] // groups of a few tensors
    [InlineData(1 << 20)] // one group
    public void Gathered_copies_equal_direct_copies_bit_for_bit(long groupBytes)
    {
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(11);
        int[] lengths = [3, 1, 4];
        // Shapes as the engine queues them: token factors [B, T, k] split by lengths, example gradients [B, kOut, kIn] whole.
        var tensors = new (Tensor Tensor, int[]? Lengths)[]
        {
            (randn([3, 4, 5], generator: generator), lengths),
            (randn([3, 4, 2], generator: generator), lengths),
            (randn([3, 2, 5], generator: generator), null),
            (randn([3, 4, 1], generator: generator).to_type(ScalarType.BFloat16), lengths),
            (randn([3, 1, 1], generator: generator), null),
        };
        using var staging = new PinnedStaging();
        var gathered = new float[tensors.Length][][];
        using (var copy = new DeferredHostCopy(staging, deferOnCpu: true, groupBytes))
        {
            for (var i = 0; i < tensors.Length; i++)
            {
                var index = i;
                copy.Add(tensors[i].Tensor, tensors[i].Lengths, values => gathered[index] = values);
            }
            copy.Flush();
        }

        for (var i = 0; i < tensors.Length; i++)
        {
            var direct = HostCopy.ToFloatArrays(tensors[i].Tensor, tensors[i].Lengths);
            Assert.Equal(direct.Length, gathered[i].Length);
            for (var b = 0; b < direct.Length; b++)
                Assert.Equal(direct[b].Select(BitConverter.SingleToInt32Bits), gathered[i][b].Select(BitConverter.SingleToInt32Bits));
        }
        // The split keeps each example's own rows: example 1 of the first tensor has one token of 5 values.
        Assert.Equal(5, gathered[0][1].Length);
    }

    [Fact]
    public void The_queue_is_copied_before_it_would_pass_the_group_size()
    {
        // What bounds the device memory a layer-by-layer sweep spends on its copies (identity projection included).
        using var scope = NewDisposeScope();
        using var staging = new PinnedStaging();
        using var copy = new DeferredHostCopy(staging, deferOnCpu: true, groupBytes: 3 * 8 * sizeof(float));
        var got = new float[3][][];
        for (var i = 0; i < 3; i++)
        {
            var index = i;
            copy.Add(ones([2, 4, 1]) * (i + 1), null, v => got[index] = v); // 32, 64, 96 bytes queued of 96
        }
        Assert.All(got, Assert.Null);
        float[][]? last = null;
        copy.Add(ones([1, 2, 1]) * 4, null, v => last = v); // would make 104: the three go first
        Assert.Equal([1f, 2f, 3f], got.Select(v => v[1][0]));
        Assert.Null(last);
        copy.Flush();
        Assert.Equal([4f, 4f], last![0]);
    }

    [Fact]
    public void One_staging_buffer_serves_growing_batches()
    {
        // The buffer is kept between batches and grown when a larger one comes (an H200 run once read the size of the
        // buffer it had just released).
        using var scope = NewDisposeScope();
        using var staging = new PinnedStaging();
        foreach (var tokens in new[] { 2, 5, 40, 3 })
        {
            var tensor = arange(3 * tokens * 4, dtype: ScalarType.Float32).reshape(3, tokens, 4);
            float[][]? values = null;
            using (var copy = new DeferredHostCopy(staging, deferOnCpu: true, 1 << 20))
            {
                copy.Add(tensor, null, v => values = v);
                copy.Flush();
            }
            Assert.Equal(Enumerable.Range(tokens * 4, tokens * 4).Select(v => (float)v), values![1]);
        }
    }

    [Fact]
    public void Cpu_tensors_are_copied_when_added_by_default()
    {
        using var scope = NewDisposeScope();
        using var staging = new PinnedStaging();
        using var copy = new DeferredHostCopy(staging);
        float[][]? values = null;
        copy.Add(ones([2, 3, 2]), [3, 2], v => values = v);
        Assert.NotNull(values);
        Assert.Equal([6, 4], values.Select(v => v.Length));
    }

    [Fact]
    public void Mismatched_lengths_are_refused()
    {
        using var scope = NewDisposeScope();
        using var staging = new PinnedStaging();
        using var copy = new DeferredHostCopy(staging, deferOnCpu: true, 1024);
        Assert.Throws<ArgumentException>(() => copy.Add(ones([2, 3, 2]), [3], _ => { }));
    }
}
