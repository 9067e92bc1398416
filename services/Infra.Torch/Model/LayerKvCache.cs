using static TorchSharp.torch;

namespace Infra.Torch.Model;

/// <summary>
/// One decoder layer's keys and values for the positions seen so far, <c>[B, kv_heads, capacity, head_dim]</c>,
/// stored after RoPE and before the grouped-query repeat (the repeat is cheap; storing it would multiply memory).
/// </summary>
/// <remarks>Preallocated to a fixed capacity so appending is a copy into a slice, not a re-concatenation per token.</remarks>
public sealed class LayerKvCache : IDisposable
{
    private readonly Tensor _keys;
    private readonly Tensor _values;

    /// <summary>Allocates zeroed buffers for <paramref name="batch"/> sequences of up to <paramref name="capacity"/> positions.</summary>
    public LayerKvCache(long batch, int kvHeads, int headDim, long capacity, Device device, ScalarType dtype)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _keys = zeros([batch, kvHeads, capacity, headDim], dtype, device).DetachFromDisposeScope();
        _values = zeros([batch, kvHeads, capacity, headDim], dtype, device).DetachFromDisposeScope();
        Capacity = capacity;
    }

    /// <summary>Positions the buffers can hold.</summary>
    public long Capacity { get; }

    /// <summary>
    /// Writes <paramref name="keys"/> and <paramref name="values"/> (<c>[B, kv_heads, T, head_dim]</c>) at positions
    /// <paramref name="position"/>..position+T-1 and returns views of all cached positions 0..position+T-1.
    /// </summary>
    /// <exception cref="InvalidOperationException">The cache would overflow its capacity.</exception>
    public (Tensor Keys, Tensor Values) Append(Tensor keys, Tensor values, long position)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        var t = keys.shape[2];
        if (position + t > Capacity)
            throw new InvalidOperationException($"KV cache overflow: {position} cached + {t} new positions exceed the capacity of {Capacity}");
        using (no_grad())
        {
            _keys.narrow(2, position, t).copy_(keys);
            _values.narrow(2, position, t).copy_(values);
        }
        return (_keys.narrow(2, 0, position + t), _values.narrow(2, 0, position + t));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _keys.Dispose();
        _values.Dispose();
    }
}
