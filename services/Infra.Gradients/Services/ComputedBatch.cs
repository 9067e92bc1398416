using Infra.Contracts.Gradients.V1;
using Infra.Core.Text;
using Infra.Torch.Gradients;

namespace Infra.Gradients.Services;

/// <summary>One batch of a ComputeGradients call, computed and waiting to be written: the examples as received, their
/// rendered encodings (for the headers) and the engine's factors, in the same order.</summary>
internal sealed record ComputedBatch(IReadOnlyList<Example> Examples, IReadOnlyList<EncodedExample> Encoded, IReadOnlyList<ExampleFactors> Factors);
