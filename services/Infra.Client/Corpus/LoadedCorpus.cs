using Infra.Contracts.Gradients.V1;
using Infra.Core.Metadata;
using DifficultyScheme = Infra.Core.Metadata.DifficultyScheme;
using DifficultySource = Infra.Core.Metadata.DifficultySource;

namespace Infra.Client.Corpus;

/// <summary>A corpus file's examples, in file order, and the difficulty scheme its levels were read with.</summary>
/// <param name="Examples">The examples; never empty.</param>
/// <param name="Scheme">How the levels were obtained (computed bin edges included); Given for the lab's schema.</param>
public sealed record LoadedCorpus(IReadOnlyList<Example> Examples, DifficultyScheme Scheme)
{
    /// <summary>How many examples have no level (0, "unlabelled").</summary>
    public int Unlabelled => Examples.Count(e => e.Difficulty == DifficultyScheme.Unlabelled);

    /// <summary>
    /// The scheme to save with a new store: null when the levels are integers given in the corpus (the lab's schema),
    /// which is what an unset IngestHeader.difficulty means, so existing stores see exactly what they always saw.
    /// </summary>
    public DifficultyScheme? SchemeToSave => Scheme.Source == DifficultySource.Given ? null : Scheme;
}
