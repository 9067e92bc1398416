using Infra.Cli.Terminal;
using Infra.Contracts.Scoring.V1;

namespace Infra.Cli.Tests;

/// <summary>The projected fit's structured progress printed as one line per message.</summary>
public sealed class FitProgressTextTests
{
    [Fact]
    public void Each_stage_prints_what_it_finished_with_the_elapsed_time()
    {
        var covariances = new FitProgress
        {
            Stage = FitStage.Covariances, LayerIndex = 1, LayerCount = 24, LayerName = "model.layers.1.mlp.down_proj", Tokens = 1234,
            ExamplesTotal = 20, ElapsedSeconds = 0.84,
        };
        Assert.Equal("covariances 2/24 model.layers.1.mlp.down_proj: 1234 tokens (0.8 s)", FitProgressText.Of(covariances));
        var fitted = new FitProgress { Stage = FitStage.Fitted, LayerCount = 24, ExamplesDone = 20, ExamplesTotal = 20, ElapsedSeconds = 1.5 };
        Assert.Equal("fitted on 20 examples (1.5 s)", FitProgressText.Of(fitted));
    }

    [Fact]
    public void A_stage_this_cli_does_not_know_prints_the_services_words()
    {
        var later = new FitProgress { Stage = (FitStage)9, Message = "self-influence of 20 examples", ElapsedSeconds = 2 };
        Assert.Equal("self-influence of 20 examples (2.0 s)", FitProgressText.Of(later));
    }
}
