using Infra.Core.Checkpoints;
using static TorchSharp.torch;

namespace Infra.Torch.Model;

/// <summary>
/// The key/value cache of every layer for incremental decoding with
/// <see cref="Qwen2ForCausalLM.ForwardCached"/>. <see cref="Length"/> positions are filled; the next
/// tokens fed are placed at absolute positions <see cref="Length"/>, <see cref="Length"/>+1, ...
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly LayerKvCache[] _layers;

    /// <summary>A cache for <paramref name="batch"/> sequences of up to <paramref name="capacity"/> tokens each.</summary>
    public KvCache(HfModelConfig config, long batch, long capacity, Device device, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        _layers = new LayerKvCache[config.NumHiddenLayers];
        try
        {
            for (var i = 0; i < _layers.Length; i++)
                _layers[i] = new LayerKvCache(batch, config.NumKeyValueHeads, config.HeadDim, capacity, device, dtype);
        }
        catch
        {
            Dispose();
            throw;
        }
        Capacity = capacity;
    }

    /// <summary>A cache sized for <paramref name="model"/> on its device and dtype.</summary>
    public static KvCache For(Qwen2ForCausalLM model, long batch, long capacity)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new KvCache(model.Config, batch, capacity, model.Device, model.DType);
    }

    /// <summary>Positions filled so far.</summary>
    public long Length { get; private set; }

    /// <summary>Positions the cache can hold.</summary>
    public long Capacity { get; }

    /// <summary>The cache of layer <paramref name="layer"/>.</summary>
    public LayerKvCache Layer(int layer) => _layers[layer];

    /// <summary>Marks <paramref name="count"/> more positions filled, once every layer has appended them.</summary>
    internal void Advance(long count) => Length += count;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var layer in _layers)
            layer?.Dispose();
    }
}
