namespace Infra.Torch.Ekfac;

/// <summary>
/// Which tracked layers read the same input <c>a</c> and so share the activation covariance <c>A = E[a aᵀ]</c>:
/// a decoder layer's <c>mlp.gate_proj</c> and <c>mlp.up_proj</c> both read the post-attention norm's output, and its
/// <c>self_attn.q_proj</c>, <c>k_proj</c>, <c>v_proj</c> all read the input norm's output. Sharing is by HF module name,
/// which is what fixes the wiring in the Qwen2/Llama architecture.
/// </summary>
public static class EkfacInputSites
{
    /// <summary>The name of the input that <paramref name="layerName"/> reads: the same string for layers that share it.</summary>
    public static string SiteOf(string layerName)
    {
        ArgumentNullException.ThrowIfNull(layerName);
        foreach (var (suffix, site) in Shared)
            if (layerName.EndsWith(suffix, StringComparison.Ordinal))
                return layerName[..^suffix.Length] + site;
        return layerName;
    }

    /// <summary>
    /// For every layer in <paramref name="layerNames"/> that shares its input with an earlier one, that earlier layer (the
    /// owner, which stores and eigendecomposes <c>A</c> once). Layers that own their <c>A</c> are absent.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Owners(IEnumerable<string> layerNames)
    {
        ArgumentNullException.ThrowIfNull(layerNames);
        var firstBySite = new Dictionary<string, string>(StringComparer.Ordinal);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in layerNames)
        {
            var site = SiteOf(name);
            if (firstBySite.TryGetValue(site, out var owner)) owners[name] = owner;
            else firstBySite[site] = name;
        }
        return owners;
    }

    private static readonly (string Suffix, string Site)[] Shared =
    [
        (".mlp.gate_proj", ".mlp.input"),
        (".mlp.up_proj", ".mlp.input"),
        (".self_attn.q_proj", ".self_attn.input"),
        (".self_attn.k_proj", ".self_attn.input"),
        (".self_attn.v_proj", ".self_attn.input"),
    ];
}
