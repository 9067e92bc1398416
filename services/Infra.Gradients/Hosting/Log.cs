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

    [LoggerMessage(7, LogLevel.Information, "Chat template: the checkpoint's own (tokenizer_config.json) renders conversations (Example.messages)")]
    public static partial void CheckpointChatTemplate(ILogger logger);

    [LoggerMessage(8, LogLevel.Warning, "Chat template: the checkpoint has none (no chat_template in tokenizer_config.json); conversations (Example.messages) are rendered in the request's chat_format, Qwen2.5 by default, and refused under PLAIN")]
    public static partial void NoCheckpointChatTemplate(ILogger logger);
}
