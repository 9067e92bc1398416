namespace Infra.Gradients.Hosting;

/// <summary>Source-generated log messages of the GradientService.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Loaded {Path}: {ModelType}, {Layers} tracked layers on {Device} ({DType}), fingerprint {Fingerprint}")]
    public static partial void ModelLoaded(ILogger logger, string path, string modelType, int layers, string device, string dtype, string fingerprint);

    [LoggerMessage(2, LogLevel.Information, "Gradients: {Examples} examples, {Tokens} tokens, {TokensPerSecond:F0} tokens/s")]
    public static partial void GradientsDone(ILogger logger, long examples, long tokens, double tokensPerSecond);

    [LoggerMessage(5, LogLevel.Information, "EK-FAC factors '{Name}' {Phase}: {Examples} examples, {Tokens} tokens")]
    public static partial void FactorsFitted(ILogger logger, string name, string phase, long examples, long tokens);

    [LoggerMessage(6, LogLevel.Information, "Exact scores: {Queries} queries x {Examples} candidates, {Tokens} tokens in {Seconds:F1} s")]
    public static partial void ExactScoringDone(ILogger logger, int queries, long examples, long tokens, double seconds);
}
