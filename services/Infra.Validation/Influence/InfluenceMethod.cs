namespace Infra.Validation.Influence;

/// <summary>How the query gradient is preconditioned before the dot product with an example's gradient.</summary>
public enum InfluenceMethod
{
    /// <summary>No preconditioning: plain projected gradient dot products.</summary>
    Identity,
    /// <summary>The diagonal of the empirical Fisher in the projected space (fitted on the store).</summary>
    Diagonal,
    /// <summary>K-FAC in the projected space (fitted on the store's token factors).</summary>
    Kfac,
    /// <summary>EK-FAC in the projected space (fitted on the store's token factors).</summary>
    Ekfac,
    /// <summary>Full-space EK-FAC applied to the query by the gradient side, then projected (the service's default path).</summary>
    EkfacFullSpace,
}
