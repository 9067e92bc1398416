using Infra.Contracts.Gradients;
using Infra.Contracts.Gradients.V1;
using Infra.Core.Compression;
using Infra.Core.Errors;
using Infra.Torch.Ekfac;
using TorchSharp;
using CoreChatFormat = Infra.Core.Text.ChatFormat;
using CoreProjection = Infra.Core.Compression.ProjectionSpec;
using WireProjection = Infra.Contracts.Gradients.V1.ProjectionSpec;
using TorchReduction = Infra.Torch.Gradients.MeasurementReduction;
using WireReduction = Infra.Contracts.Gradients.V1.MeasurementReduction;

namespace Infra.Gradients.Mapping;

/// <summary>Proto enum and message conversions.</summary>
internal static class WireTypes
{
    public static FactorDType ToFactorDType(WireDtype dtype) => ExampleAssembler.ToFactorDType(dtype);

    public static WireDtype ToWire(FactorDType dtype) => dtype switch
    {
        FactorDType.Float32 => WireDtype.Float32,
        FactorDType.BFloat16 => WireDtype.Bfloat16,
        FactorDType.Float16 => WireDtype.Float16,
        FactorDType.Int8 => WireDtype.Int8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>The model's compute dtype (float32, bfloat16 or float16).</summary>
    public static WireDtype ToWire(torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.Float32 => WireDtype.Float32,
        torch.ScalarType.BFloat16 => WireDtype.Bfloat16,
        torch.ScalarType.Float16 => WireDtype.Float16,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a compute dtype"),
    };

    public static CoreChatFormat ToChatFormat(ChatFormat format) => format switch
    {
        ChatFormat.Unspecified or ChatFormat.Qwen25 => CoreChatFormat.Qwen25,
        ChatFormat.Plain => CoreChatFormat.Plain,
        _ => throw DomainException.InvalidArgument($"unknown chat format {format}", "chat_format"),
    };

    public static EkfacFitPhase ToFitPhase(FitPhase phase) => phase switch
    {
        FitPhase.Covariance => EkfacFitPhase.Covariance,
        FitPhase.EigenvalueCorrection => EkfacFitPhase.EigenvalueCorrection,
        _ => throw DomainException.InvalidArgument("FitFactorsOptions.phase must be COVARIANCE or EIGENVALUE_CORRECTION", "options.phase"),
    };

    public static TorchReduction ToReduction(WireReduction reduction) => reduction switch
    {
        WireReduction.Unspecified or WireReduction.Mean => TorchReduction.Mean,
        WireReduction.Sum => TorchReduction.Sum,
        _ => throw DomainException.InvalidArgument($"unknown measurement reduction {reduction}", "reduction"),
    };

    /// <summary>A request's projection; null or zero dims take the service default.</summary>
    public static CoreProjection ToProjection(WireProjection? spec, int defaultDim) => spec is null
        ? new CoreProjection { KIn = defaultDim, KOut = defaultDim }
        : new CoreProjection
        {
            Identity = spec.Identity,
            KIn = spec.KIn == 0 ? defaultDim : checked((int)spec.KIn),
            KOut = spec.KOut == 0 ? defaultDim : checked((int)spec.KOut),
            Seed = spec.Seed,
        };

    public static WireProjection ToWire(CoreProjection spec) => new()
    {
        Identity = spec.Identity,
        KIn = (uint)spec.KIn,
        KOut = (uint)spec.KOut,
        Seed = spec.Seed,
    };
}
