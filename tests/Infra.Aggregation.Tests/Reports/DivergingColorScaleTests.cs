using Infra.Aggregation.Reports;

namespace Infra.Aggregation.Tests.Reports;

public sealed class DivergingColorScaleTests
{
    [Theory]
    [InlineData(0.0, "#ffffff")]
    [InlineData(2.0, "#b2182b")]
    [InlineData(-2.0, "#2166ac")]
    [InlineData(1.0, "#f4a582")]
    [InlineData(-1.0, "#92c5de")]
    [InlineData(5.0, "#b2182b")]
    [InlineData(-5.0, "#2166ac")]
    public void Anchors_are_white_at_zero_and_RdBu_at_half_and_full_scale(double value, string expected) =>
        Assert.Equal(expected, DivergingColorScale.Hex(value, 2.0));

    [Fact]
    public void Scale_is_symmetric_a_score_and_its_negation_are_equally_intense()
    {
        for (var i = 0; i <= 100; i++)
        {
            var v = i / 100.0 * 3e-4;
            Assert.Equal(DivergingColorScale.Intensity(v, 3e-4), -DivergingColorScale.Intensity(-v, 3e-4));
        }
    }

    [Fact]
    public void Scale_is_monotone_every_channel_moves_one_way_and_the_distance_from_white_grows()
    {
        foreach (var sign in new[] { 1.0, -1.0 })
        {
            var previous = DivergingColorScale.Color(0, 1);
            for (var i = 1; i <= 200; i++)
            {
                var current = DivergingColorScale.Color(sign * i / 200.0, 1);
                Assert.True(current.R <= previous.R && current.G <= previous.G && current.B <= previous.B, $"step {i} (sign {sign}): {current} after {previous}");
                Assert.True(Distance(current) >= Distance(previous));
                previous = current;
            }
            Assert.True(Distance(DivergingColorScale.Color(sign, 1)) > Distance(DivergingColorScale.Color(sign * 0.5, 1)));
        }
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(1.0, double.NaN)]
    [InlineData(double.NaN, 1.0)]
    [InlineData(double.PositiveInfinity, 1.0)]
    public void Degenerate_inputs_are_white(double value, double maxAbs) =>
        Assert.Equal("#ffffff", DivergingColorScale.Hex(value, maxAbs));

    [Fact]
    public void Positive_is_red_and_negative_is_blue()
    {
        var red = DivergingColorScale.Color(0.7, 1);
        var blue = DivergingColorScale.Color(-0.7, 1);
        Assert.True(red.R > red.B);
        Assert.True(blue.B > blue.R);
    }

    private static double Distance((byte R, byte G, byte B) c) =>
        Math.Sqrt(Math.Pow(255 - c.R, 2) + Math.Pow(255 - c.G, 2) + Math.Pow(255 - c.B, 2));
}
