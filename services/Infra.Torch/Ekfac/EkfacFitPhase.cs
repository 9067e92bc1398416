namespace Infra.Torch.Ekfac;

/// <summary>The two passes of an EK-FAC fit, run as separate calls over the same corpus.</summary>
public enum EkfacFitPhase
{
    /// <summary>Pass 1: covariances and their eigenbases (<see cref="EkfacFactorsManifest.CovariancePhase"/>).</summary>
    Covariance,

    /// <summary>Pass 2: the eigenvalue correction in the stored eigenbases (<see cref="EkfacFactorsManifest.CorrectedPhase"/>).</summary>
    EigenvalueCorrection,
}
