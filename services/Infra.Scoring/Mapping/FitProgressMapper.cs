using Infra.Contracts.Scoring.V1;
using Infra.Core.Preconditioning;

namespace Infra.Scoring.Mapping;

/// <summary>A projected fit's progress report as a <see cref="FitProgress"/>.</summary>
internal static class FitProgressMapper
{
    public static FitProgress ToWire(PreconditionerFitProgress p) => new()
    {
        Stage = p.Stage == PreconditionerFitStage.Covariances ? FitStage.Covariances : FitStage.Fitted,
        LayerIndex = (uint)p.LayerIndex,
        LayerCount = (uint)p.LayerCount,
        LayerName = p.LayerName,
        Tokens = (ulong)p.Tokens,
        ExamplesDone = (ulong)p.ExamplesDone,
        ExamplesTotal = (ulong)p.ExamplesTotal,
        ElapsedSeconds = p.Elapsed.TotalSeconds,
        Message = p.Message,
    };
}
