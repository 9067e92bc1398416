namespace Infra.Torch.Gradients;

/// <summary>An example that cannot be processed; names the example and the reason.</summary>
public sealed class InvalidExampleException : Exception
{
    public InvalidExampleException(string exampleId, string reason)
        : base($"example '{exampleId}': {reason}")
    {
        ExampleId = exampleId;
        Reason = reason;
    }

    /// <summary>The offending example's id.</summary>
    public string ExampleId { get; }

    /// <summary>Why it was refused.</summary>
    public string Reason { get; }
}
