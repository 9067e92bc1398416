namespace Infra.Core.Kernels;

/// <summary>A row (example or token) and its score.</summary>
/// <param name="Index">Row index in the store.</param>
/// <param name="Score">Its influence score.</param>
public readonly record struct ScoredIndex(long Index, float Score);
