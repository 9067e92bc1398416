using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Client.Pipeline;

/// <summary>The projection an existing store was built with, as a request must ask for it again.</summary>
public static class StoreProjection
{
    /// <summary>
    /// The store's seed and identity flag with k_in / k_out taken from its layers (the largest over layers: a layer's k
    /// is the requested one capped at its own dims), since the schema's spec may carry 0 = "server default".
    /// </summary>
    public static ProjectionSpec Of(IngestHeader schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var spec = schema.Projection?.Clone() ?? new ProjectionSpec();
        if (!spec.Identity && schema.Layers.Count > 0)
        {
            spec.KIn = schema.Layers.Max(l => l.KIn);
            spec.KOut = schema.Layers.Max(l => l.KOut);
        }
        return spec;
    }
}
