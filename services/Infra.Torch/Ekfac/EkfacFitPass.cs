using Infra.Core.Errors;
using Infra.Torch.Gradients;
using CoreChatFormat = Infra.Core.Text.ChatFormat;

namespace Infra.Torch.Ekfac;

/// <summary>
/// One phase of an EK-FAC fit into a named entry of an <see cref="EkfacFactorStore"/>, over a corpus that arrives in
/// batches, with memory bounded by one group of layers (<see cref="EkfacLayerGroups"/>, by default one decoder layer):
/// <see cref="Begin"/> checks the phase against the store, <see cref="Add"/> accumulates a batch for the first group
/// and, when there are more groups, appends it to a temporary <see cref="ExampleSpool"/>; <see cref="Commit"/> finishes
/// the first group, then replays the spool once per further group, writing each group's factors to its own file as
/// soon as it is done, and saves the manifest last. The spool is deleted after the commit and on any failure
/// (<see cref="Dispose"/>); the files of a failed commit are deleted and the entry keeps its previous factors.
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
    private readonly EkfacFactorReader? _stored;
    private readonly EkfacFitOptions _options;
    private readonly IReadOnlyList<IReadOnlyList<TrackedLayer>> _groups;
    private EkfacGroupFit? _first;
    private ExampleSpool? _spool;

    private EkfacFitPass(EkfacFactorStore store, FactorComputer computer, string name, string modelFingerprint, CoreChatFormat chatFormat,
        bool truncate, EkfacFactorsManifest? existing, EkfacFactorReader? stored, EkfacFitOptions options)
    {
        _store = store;
        _computer = computer;
        _name = name;
        _modelFingerprint = modelFingerprint;
        _chatFormat = chatFormat;
        _truncate = truncate;
        _existing = existing;
        _stored = stored;
        _options = options;
        _groups = EkfacLayerGroups.Plan(computer.Layers, options.GroupBudgetBytes);
        try
        {
            _first = GroupFit(0);
            if (_groups.Count > 1) _spool = new ExampleSpool(options.SpoolFolder);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Examples accumulated so far.</summary>
    public long Examples { get; private set; }

    /// <summary>Tokens of the examples accumulated so far.</summary>
    public long Tokens { get; private set; }

    /// <summary>The phase's manifest value: <see cref="EkfacFactorsManifest.CovariancePhase"/> or <see cref="EkfacFactorsManifest.CorrectedPhase"/>.</summary>
    public string Phase => _stored is null ? EkfacFactorsManifest.CovariancePhase : EkfacFactorsManifest.CorrectedPhase;

    /// <summary>The groups of layers fitted one after another (each a full pass over the corpus).</summary>
    public IReadOnlyList<IReadOnlyList<TrackedLayer>> Groups => _groups;

    /// <summary>The spool file while there is one (several groups, not yet committed or disposed); else null.</summary>
    public string? SpoolPath => _spool?.Path;

    /// <summary>
    /// Starts <paramref name="phase"/> for the factors named <paramref name="name"/>: the covariance pass refuses an
    /// existing entry unless <paramref name="overwrite"/>; the correction pass needs the covariance pass's entry (for this
    /// model and these layers) and reads the first group's eigenbases.
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
    /// <param name="options">Groups, storage dtype and spool folder; null for <see cref="EkfacFitOptions.Default"/>.</param>
    /// <exception cref="DomainException">An existing entry without overwrite (FailedPrecondition), no covariance entry (NotFound), or a mismatched one.</exception>
    public static EkfacFitPass Begin(EkfacFactorStore store, FactorComputer computer, string modelFingerprint, string name, EkfacFitPhase phase,
        bool overwrite, CoreChatFormat chatFormat, bool truncate, string? nameField = null, EkfacFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(computer);
        ArgumentNullException.ThrowIfNull(modelFingerprint);
        EkfacFactorStore.ValidateName(name, nameField);
        var existing = store.ReadManifest(name);
        EkfacFactorReader? stored = null;
        switch (phase)
        {
            case EkfacFitPhase.Covariance:
                if (existing is not null && !overwrite)
                    throw DomainException.FailedPrecondition($"EK-FAC factors '{name}' already exist; set overwrite to refit them", nameField);
                break;
            case EkfacFitPhase.EigenvalueCorrection:
                if (existing is null)
                    throw DomainException.NotFound($"no EK-FAC factors named '{name}': run the COVARIANCE phase first", nameField);
                stored = store.Open(name, modelFingerprint, computer.Layers.Select(l => l.Name).ToList());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(phase), phase, "not an EK-FAC fit phase");
        }
        return new EkfacFitPass(store, computer, name, modelFingerprint, chatFormat, truncate, existing, stored, options ?? EkfacFitOptions.Default);
    }

    /// <summary>
    /// Runs the model over <paramref name="batch"/> (prepared examples: <see cref="FactorComputer.Prepare"/>) and adds it
    /// to the first group's sums (and to the spool when there are more groups). The caller serialises the model's use.
    /// Returns the batch's token count.
    /// </summary>
    public long Add(IReadOnlyList<TokenizedExample> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var first = _first ?? throw new InvalidOperationException("the fit pass was committed or disposed");
        first.Add(batch);
        _spool?.Append(batch);
        var tokens = batch.Sum(e => (long)e.Ids.Length);
        Examples += batch.Count;
        Tokens += tokens;
        return tokens;
    }

    /// <summary>
    /// Finishes the phase group by group (replaying the spooled corpus for every group after the first) and saves the
    /// factors with their manifest (replacing the entry); returns the manifest. The spool is deleted either way.
    /// </summary>
    /// <param name="cancellationToken">Checked before every group and every replayed batch.</param>
    /// <exception cref="DomainException">No examples were added (InvalidArgument).</exception>
    public EkfacFactorsManifest Commit(CancellationToken cancellationToken = default)
    {
        if (Examples == 0) throw DomainException.InvalidArgument("no examples were sent to fit the factors on");
        var first = _first ?? throw new InvalidOperationException("the fit pass was committed or disposed");
        var manifest = new EkfacFactorsManifest
        {
            Name = _name,
            ModelFingerprint = _modelFingerprint,
            Layers = _computer.Layers.Select(l => l.Name).ToList(),
            Phase = Phase,
            CovarianceExamples = _stored is null ? Examples : _existing!.CovarianceExamples,
            CovarianceTokens = _stored is null ? Tokens : _existing!.CovarianceTokens,
            LambdaExamples = _stored is null ? 0 : Examples,
            ChatFormat = Core.IO.ProjectJson.LowerCase.ConvertName(_chatFormat.ToString()),
            Truncate = _truncate,
        };
        try
        {
            using var writer = _store.BeginWrite(_name, _options.StorageType);
            _first = null;
            for (var g = 0; g < _groups.Count; g++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var fit = g == 0 ? first : GroupFit(g);
                if (g > 0)
                {
                    foreach (var batch in _spool!.Replay())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        fit.Add(batch);
                    }
                }
                using var factors = fit.Finish();
                writer.WriteGroup(factors, _modelFingerprint, Phase);
            }
            return writer.Commit(manifest);
        }
        finally
        {
            first.Dispose();
            _spool?.Dispose();
            _spool = null;
        }
    }

    /// <summary>Frees the sums and bases held and deletes the spool; nothing is saved.</summary>
    public void Dispose()
    {
        _first?.Dispose();
        _first = null;
        _spool?.Dispose();
        _spool = null;
    }

    // The fit of group g: for the correction, with the group's stored eigenbases (read layer by layer).
    private EkfacGroupFit GroupFit(int g)
    {
        var layers = _groups[g];
        if (_stored is null) return new EkfacGroupFit(_computer, layers, null);
        var index = _computer.Layers.Select((l, i) => (l.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var bases = _stored.ReadMany(layers.Select(l => index[l.Name]));
        try
        {
            return new EkfacGroupFit(_computer, layers, bases);
        }
        catch
        {
            bases.Dispose();
            throw;
        }
    }
}
