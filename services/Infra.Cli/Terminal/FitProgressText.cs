using System.Globalization;
using Infra.Contracts.Scoring.V1;

namespace Infra.Cli.Terminal;

/// <summary>A projected fit's progress message as one line of text.</summary>
internal static class FitProgressText
{
    /// <summary>
    /// "covariances 2/24 model.layers.1.mlp.down_proj: 1234 tokens (0.8 s)", "EKFAC fitted on 20 examples (1.5 s)"; a stage this
    /// CLI does not know: the service's own words.
    /// </summary>
    public static string Of(FitProgress p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var elapsed = p.ElapsedSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        return p.Stage switch
        {
            FitStage.Covariances => string.Create(CultureInfo.InvariantCulture,
                $"covariances {p.LayerIndex + 1}/{p.LayerCount} {p.LayerName}: {p.Tokens} tokens ({elapsed} s)"),
            FitStage.Fitted => string.Create(CultureInfo.InvariantCulture, $"fitted on {p.ExamplesDone} examples ({elapsed} s)"),
            _ => $"{p.Message} ({elapsed} s)",
        };
    }
}
