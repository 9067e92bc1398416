namespace Infra.Torch.Gradients;

/// <summary>How the measurement <c>f</c> reduces a query answer's token log-likelihoods.</summary>
public enum MeasurementReduction
{
    /// <summary><c>f = (1/n) sum_t log p(answer token t)</c>: the paper's mean log-likelihood. The default.</summary>
    Mean,
    /// <summary><c>f = sum_t log p(answer token t)</c>.</summary>
    Sum,
}
