namespace Infra.Torch.Gradients;

/// <summary>
/// One example as the model sees it: token ids and the loss mask (1 for the tokens the loss is
/// taken on, i.e. the response). <paramref name="LossScale"/> multiplies the example's loss
/// (1 for training examples; <c>1/n</c> for a mean-log-likelihood query of n answer tokens).
/// </summary>
public sealed record TokenizedExample(string Id, int[] Ids, byte[] LossMask, float LossScale = 1f);
