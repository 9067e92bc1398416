using System.Diagnostics.Metrics;
using Infra.ServiceDefaults;

namespace Infra.Gradients.Hosting;

/// <summary>
/// The GradientService's meter, "Infra.Gradients": counters of examples (<c>infra.gradients.examples</c>) and
/// tokens (<c>infra.gradients.tokens</c>) through the forward/backward path, tagged with the operation
/// (<c>infra.operation</c>: compute_gradients, fit_factors or score_exact). Their rates are examples/s and tokens/s.
/// </summary>
public sealed class GradientMetrics
{
    /// <summary>The tag value of ComputeGradients (with or without forward_to).</summary>
    public const string ComputeGradients = "compute_gradients";

    /// <summary>The tag value of FitFactors (both EK-FAC phases).</summary>
    public const string FitFactors = "fit_factors";

    /// <summary>The tag value of ScoreExact (candidates recomputed and scored exactly).</summary>
    public const string ScoreExact = "score_exact";

    private readonly Counter<long> _examples;
    private readonly Counter<long> _tokens;

    public GradientMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(InfraMeterNames.Gradients);
        _examples = meter.CreateCounter<long>("infra.gradients.examples", "{example}", "Examples through the forward/backward pass");
        _tokens = meter.CreateCounter<long>("infra.gradients.tokens", "{token}", "Tokens through the forward/backward pass");
    }

    /// <summary>Counts <paramref name="examples"/> examples of <paramref name="tokens"/> tokens in all, done by <paramref name="operation"/>.</summary>
    public void Processed(string operation, long examples, long tokens)
    {
        var tag = new KeyValuePair<string, object?>("infra.operation", operation);
        _examples.Add(examples, tag);
        _tokens.Add(tokens, tag);
    }
}
