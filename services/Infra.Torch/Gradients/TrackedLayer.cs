namespace Infra.Torch.Gradients;

/// <summary>A tracked linear layer <c>y = W x</c>, W is <c>DOut x DIn</c>. <paramref name="Name"/> is HF's module path.</summary>
public sealed record TrackedLayer(int Index, string Name, int DIn, int DOut);
