using Infra.Core.Errors;
using Infra.Torch.Gradients;
using CoreChatFormat = Infra.Core.Text.ChatFormat;

namespace Infra.Torch.Ekfac;

/// <summary>
/// One phase of an EK-FAC fit into a named entry of an <see cref="EkfacFactorStore"/>, over a corpus that arrives in
/// batches: <see cref="Begin"/> checks the phase against the store (and loads the eigenbases for the correction),
/// <see cref="Add"/> accumulates a batch, <see cref="Commit"/> finishes the phase and saves the factors with their
/// manifest. The pass owns its fitter and the loaded bases and frees them on <see cref="Dispose"/>.
/// </summary>
public sealed class EkfacFitPass : IDisposable
{
    private readonly EkfacFactorStore _store;
    private readonly FactorComputer _computer;
    private readonly string _name;
    private readonly string _modelFingerprint;
    private readonly CoreChatFormat _chatFormat;
    private readonly bool _truncate;
    private readonly EkfacFactorsManifest? _existing;
    private readonly EkfacFactorSet? _bases;
    private readonly EkfacFitter _fitter;

    private EkfacFitPass(EkfacFactorStore store, FactorComputer computer, string name, string modelFingerprint, CoreChatFormat chatFormat,
        bool truncate, EkfacFactorsManifest? existing, EkfacFactorSet? bases)
    {
        _store = store;
        _computer = computer;
        _name = name;
        _modelFingerprint = modelFingerprint;
        _chatFormat = chatFormat;
        _truncate = truncate;
        _existing = existing;
        _bases = bases;
        _fitter = new EkfacFitter(computer.Layers);
    }

    /// <summary>Examples accumulated so far.</summary>
    public long Examples { get; private set; }

    /// <summary>Tokens of the examples accumulated so far.</summary>
    public long Tokens { get; private set; }

    /// <summary>The phase's manifest value: <see cref="EkfacFactorsManifest.CovariancePhase"/> or <see cref="EkfacFactorsManifest.CorrectedPhase"/>.</summary>
    public string Phase => _bases is null ? EkfacFactorsManifest.CovariancePhase : EkfacFactorsManifest.CorrectedPhase;

    /// <summary>
    /// Starts <paramref name="phase"/> for the factors named <paramref name="name"/>: the covariance pass refuses an
    /// existing entry unless <paramref name="overwrite"/>; the correction pass needs the covariance pass's entry (for this
    /// model and these layers) and loads its eigenbases.
    /// </summary>
    /// <param name="store">Where the factors are read and saved.</param>
    /// <param name="computer">Runs the model over each batch; its layers are the tracked layers.</param>
    /// <param name="modelFingerprint">Names the model in the manifest (and must match a stored entry's).</param>
    /// <param name="name">The factors' name (<see cref="EkfacFactorStore.ValidateName"/>).</param>
    /// <param name="phase">Which pass this is.</param>
    /// <param name="overwrite">Whether the covariance pass may replace an existing entry.</param>
    /// <param name="chatFormat">How the corpus was encoded, for the manifest.</param>
    /// <param name="truncate">Whether over-long examples were truncated, for the manifest.</param>
    /// <param name="nameField">The request field that carries <paramref name="name"/>, for errors; or null.</param>
    /// <exception cref="DomainException">An existing entry without overwrite (FailedPrecondition), no covariance entry (NotFound), or a mismatched one.</exception>
    public static EkfacFitPass Begin(EkfacFactorStore store, FactorComputer computer, string modelFingerprint, string name, EkfacFitPhase phase,
        bool overwrite, CoreChatFormat chatFormat, bool truncate, string? nameField = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(computer);
        ArgumentNullException.ThrowIfNull(modelFingerprint);
        EkfacFactorStore.ValidateName(name, nameField);
        var existing = store.ReadManifest(name);
        EkfacFactorSet? bases = null;
        switch (phase)
        {
            case EkfacFitPhase.Covariance:
                if (existing is not null && !overwrite)
                    throw DomainException.FailedPrecondition($"EK-FAC factors '{name}' already exist; set overwrite to refit them", nameField);
                break;
            case EkfacFitPhase.EigenvalueCorrection:
                if (existing is null)
                    throw DomainException.NotFound($"no EK-FAC factors named '{name}': run the COVARIANCE phase first", nameField);
                bases = store.Load(name, modelFingerprint, computer.Layers.Select(l => l.Name).ToList()).Factors;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(phase), phase, "not an EK-FAC fit phase");
        }
        return new EkfacFitPass(store, computer, name, modelFingerprint, chatFormat, truncate, existing, bases);
    }

    /// <summary>
    /// Runs the model over <paramref name="batch"/> (prepared examples: <see cref="FactorComputer.Prepare"/>) and adds it
    /// to this phase's sums. The caller serialises the model's use. Returns the batch's token count.
    /// </summary>
    public long Add(IReadOnlyList<TokenizedExample> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using (var factors = _computer.Run(batch))
        {
            if (_bases is null) _fitter.AccumulateCovariance(factors);
            else _fitter.AccumulateLambda(factors, _bases);
        }
        var tokens = batch.Sum(e => (long)e.Ids.Length);
        Examples += batch.Count;
        Tokens += tokens;
        return tokens;
    }

    /// <summary>Finishes the phase and saves the factors with their manifest (replacing the entry); returns the manifest.</summary>
    /// <exception cref="DomainException">No examples were added (InvalidArgument).</exception>
    public EkfacFactorsManifest Commit()
    {
        if (Examples == 0) throw DomainException.InvalidArgument("no examples were sent to fit the factors on");
        var manifest = new EkfacFactorsManifest
        {
            Name = _name,
            ModelFingerprint = _modelFingerprint,
            Layers = _computer.Layers.Select(l => l.Name).ToList(),
            Phase = Phase,
            CovarianceExamples = _bases is null ? Examples : _existing!.CovarianceExamples,
            CovarianceTokens = _bases is null ? Tokens : _existing!.CovarianceTokens,
            LambdaExamples = _bases is null ? 0 : Examples,
            ChatFormat = Core.IO.ProjectJson.LowerCase.ConvertName(_chatFormat.ToString()),
            Truncate = _truncate,
        };
        if (_bases is null)
        {
            using var fitted = _fitter.FinishCovariance();
            _store.Save(manifest, fitted);
        }
        else
        {
            _fitter.FinishLambda(_bases);
            _store.Save(manifest, _bases);
        }
        return manifest;
    }

    public void Dispose()
    {
        _fitter.Dispose();
        _bases?.Dispose();
    }
}
