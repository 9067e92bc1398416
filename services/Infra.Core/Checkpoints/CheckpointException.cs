namespace Infra.Core.Checkpoints;

/// <summary>
/// A checkpoint folder, config or safetensors file that cannot be used. The message names the
/// file and, where there is one, the tensor and what was expected.
/// </summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException(string message) : base(message) { }

    public CheckpointException(string message, Exception inner) : base(message, inner) { }
}
