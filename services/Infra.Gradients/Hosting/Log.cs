namespace Infra.Gradients.Hosting;

/// <summary>Source-generated log messages of the GradientService.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Loaded {Path}: {ModelType}, {Layers} tracked layers on {Device} ({DType}), fingerprint {Fingerprint}")]
    public static partial void ModelLoaded(ILogger logger, string path, string modelType, int layers, string device, string dtype, string fingerprint);

    [LoggerMessage(2, LogLevel.Information, "Gradients: {Examples} examples, {Tokens} tokens, {TokensPerSecond:F0} tokens/s")]
    public static partial void GradientsDone(ILogger logger, long examples, long tokens, double tokensPerSecond);

    [LoggerMessage(3, LogLevel.Warning, "Refused a request: {Reason}")]
    public static partial void Refused(ILogger logger, string reason);

    [LoggerMessage(4, LogLevel.Error, "libtorch failed")]
    public static partial void TorchFailed(ILogger logger, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "EK-FAC factors '{Name}' {Phase}: {Examples} examples, {Tokens} tokens")]
    public static partial void FactorsFitted(ILogger logger, string name, string phase, long examples, long tokens);
}
