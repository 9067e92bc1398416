using Infra.Torch.Gradients;

namespace Infra.Torch.Ekfac;

/// <summary>
/// One phase of an EK-FAC fit restricted to one group of layers: the model runs with only the group's layers recorded,
/// and only the group's sums are held. For the eigenvalue correction it holds the group's stored eigenbases.
/// </summary>
internal sealed class EkfacGroupFit : IDisposable
{
    private readonly FactorComputer _computer;
    private readonly EkfacFitter _fitter;
    private EkfacFactorSet? _bases;

    /// <param name="computer">The pass's computer (its model and length limit are reused).</param>
    /// <param name="layers">The group's layers.</param>
    /// <param name="bases">The group's eigenbases for the correction phase (taken over), or null for the covariance phase.</param>
    public EkfacGroupFit(FactorComputer computer, IReadOnlyList<TrackedLayer> layers, EkfacFactorSet? bases)
    {
        _computer = new FactorComputer(computer.Model, layers, computer.MaxLength)
        {
            ActivationBudgetBytes = computer.ActivationBudgetBytes,
            LossChunk = computer.LossChunk,
        };
        _fitter = new EkfacFitter(layers);
        _bases = bases;
    }

    /// <summary>Runs the model over a batch of prepared examples and adds it to the group's sums.</summary>
    public void Add(IReadOnlyList<TokenizedExample> batch)
    {
        using var factors = _computer.Run(batch);
        if (_bases is null) _fitter.AccumulateCovariance(factors);
        else _fitter.AccumulateLambda(factors, _bases);
    }

    /// <summary>The group's factors (eigenbases, or the bases with Λ set); the caller owns them. Call once.</summary>
    public EkfacFactorSet Finish()
    {
        if (_bases is null) return _fitter.FinishCovariance();
        _fitter.FinishLambda(_bases);
        var result = _bases;
        _bases = null;
        return result;
    }

    public void Dispose()
    {
        _fitter.Dispose();
        _bases?.Dispose();
    }
}
