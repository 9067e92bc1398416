using Infra.Client.Rerank;

namespace Infra.Client.Tests;

public sealed class CandidateCountTests
{
    [Theory]
    [InlineData(128, 10, 39)]    // ceil(0.3 x 128) = 39
    [InlineData(12, 10, 10)]     // at least k
    [InlineData(8, 10, 8)]       // never more than the store holds
    [InlineData(100_000, 10, 256)] // the ceiling
    [InlineData(100_000, 300, 300)] // a k above the ceiling wins
    public void The_default_is_30_percent_of_the_store_at_least_k_at_most_256_and_never_more_than_the_store(long store, int k, int expected) =>
        Assert.Equal(expected, CandidateCount.Resolve(null, store, k));

    [Fact]
    public void A_requested_count_is_taken_as_given_when_in_range()
    {
        Assert.Equal(40, CandidateCount.Resolve(40, 128, 10));
        Assert.Equal(128, CandidateCount.Resolve(128, 128, 10));
        Assert.Equal(5, CandidateCount.Resolve(5, 5, 10)); // the whole store, though fewer than k
    }

    [Theory]
    [InlineData(0, "must be in [1, 128]")]
    [InlineData(129, "must be in [1, 128]")]
    [InlineData(4, "must be at least the 10 examples asked for")]
    public void Out_of_range_counts_are_refused_naming_the_range(int requested, string message)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => CandidateCount.Resolve(requested, 128, 10));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
