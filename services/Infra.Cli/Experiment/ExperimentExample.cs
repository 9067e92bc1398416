using Infra.Core.Text;
using Infra.Corpus;
using Infra.Lab.Corpus;
using Infra.Lab.Experiments;
using Infra.Torch.Training;

namespace Infra.Cli.Experiment;

/// <summary>
/// One training problem in both forms: as generated (<see cref="Full"/>) and with its tagged exploratory spans stripped
/// from the response (<see cref="Ablated"/>; the same tokens when it has none), each encoded in the Qwen2.5 chat template.
/// </summary>
internal sealed record ExperimentExample(LabExample Example, CellKey Cell, EncodedExample Full, EncodedExample Ablated)
{
    /// <summary>Loss (response) tokens of the full example, as <see cref="SftExample.LossTokens"/> counts them.</summary>
    public int LossTokens => SftExample.From(Example.Id, Full).LossTokens;

    /// <summary>Loss tokens once the exploratory spans are stripped.</summary>
    public int AblatedLossTokens => SftExample.From(Example.Id, Ablated).LossTokens;
}
