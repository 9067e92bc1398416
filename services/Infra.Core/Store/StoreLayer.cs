using System.Text.Json.Serialization;

namespace Infra.Core.Store;

/// <summary>A tracked layer as the store keeps it: HF name, full dims, projected dims.</summary>
public sealed record StoreLayer(string Name, int DIn, int DOut, int KIn, int KOut)
{
    /// <summary>Length of one example gradient <c>Ĝ</c> of this layer, <c>k_out x k_in</c>.</summary>
    [JsonIgnore]
    public int GradientLength => KIn * KOut;
}
