namespace Infra.Torch.Ekfac;

/// <summary>
/// How stored EK-FAC eigenvectors, eigenvalues and Λ are written to disk. Accumulation and eigendecomposition are always
/// float64; this only rounds what is saved (and what a later load reads back, widened to float64 again).
/// </summary>
public enum EkfacStorageType
{
    /// <summary>float64, the faithful one (the default): a load gives back exactly what was fitted.</summary>
    Float64,

    /// <summary>float32: half the disk and the read bytes, at float32 rounding of the bases and Λ.</summary>
    Float32,
}
