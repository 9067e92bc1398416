using Infra.Aggregation.Reports;

namespace Infra.Aggregation.Tests.Reports;

public sealed class ReportFormatTests
{
    [Theory]
    [InlineData(23.5, "23.5")]
    [InlineData(-23.5, "-23.5")]
    [InlineData(0.012345, "0.01235")]
    [InlineData(1234.5, "1,235")]
    [InlineData(999_999.4, "999,999")]
    [InlineData(1.0, "1")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.00012345, "1.235e-04")]
    [InlineData(-25_000_000.0, "-2.5e+07")]
    [InlineData(0.0, "0")]
    [InlineData(double.NaN, "n/a")]
    [InlineData(double.PositiveInfinity, "n/a")]
    public void Scores_read_in_plain_notation_with_four_significant_digits_and_scientific_only_at_the_extremes(double value, string expected) =>
        Assert.Equal(expected, ReportFormat.Score(value));
}
