namespace Infra.Core.Preconditioning;

/// <summary>A progress report of <see cref="PreconditionerFitter.Fit"/>.</summary>
/// <param name="Stage">What was just finished.</param>
/// <param name="Kind">The preconditioner being fitted.</param>
/// <param name="LayerIndex"><see cref="PreconditionerFitStage.Covariances"/>: the layer just done (0-based, in schema order); 0 otherwise.</param>
/// <param name="LayerCount">Layers of the store.</param>
/// <param name="LayerName"><see cref="PreconditionerFitStage.Covariances"/>: that layer's name; "" otherwise.</param>
/// <param name="Tokens"><see cref="PreconditionerFitStage.Covariances"/>: token rows the layer's covariances were computed over; 0 otherwise.</param>
/// <param name="ExamplesDone">Examples whose gradients were used so far (all of them once fitted).</param>
/// <param name="ExamplesTotal">Examples of the store view fitted on.</param>
/// <param name="Elapsed">Since the fit started.</param>
public sealed record PreconditionerFitProgress(PreconditionerFitStage Stage, PreconditionerKind Kind, int LayerIndex, int LayerCount, string LayerName,
    long Tokens, long ExamplesDone, long ExamplesTotal, TimeSpan Elapsed)
{
    /// <summary>The report in words, for logs: "covariances of &lt;layer&gt;: &lt;n&gt; tokens" or "&lt;kind&gt; fitted on &lt;n&gt; examples".</summary>
    public string Message => Stage == PreconditionerFitStage.Covariances
        ? $"covariances of {LayerName}: {Tokens} tokens"
        : $"{Kind} fitted on {ExamplesDone} examples";
}
