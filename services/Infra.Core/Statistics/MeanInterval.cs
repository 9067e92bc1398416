namespace Infra.Core.Statistics;

/// <summary>A mean with a percentile bootstrap interval.</summary>
/// <param name="Mean">The mean of the finite values.</param>
/// <param name="Low">The 2.5th percentile of the resampled means.</param>
/// <param name="High">The 97.5th percentile of the resampled means.</param>
/// <param name="Count">How many finite values the mean is over.</param>
public sealed record MeanInterval(double Mean, double Low, double High, int Count);
