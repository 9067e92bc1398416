using System.Globalization;

namespace Infra.Aggregation.Reports.Charts;

/// <summary>A linear value axis with "nice" ticks (1, 2 or 5 times a power of ten) that always contains 0.</summary>
internal sealed class AxisScale
{
    private AxisScale(double min, double max, IReadOnlyList<double> ticks)
    {
        Min = min;
        Max = max;
        Ticks = ticks;
    }

    public double Min { get; }

    public double Max { get; }

    public IReadOnlyList<double> Ticks { get; }

    /// <summary>An axis over the finite values given, widened to include 0 and to whole ticks.</summary>
    public static AxisScale Over(IEnumerable<double> values, int targetTicks = 5)
    {
        double lo = 0, hi = 0;
        foreach (var v in values)
        {
            if (!double.IsFinite(v))
                continue;
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }
        if (hi - lo <= 0)
            hi = 1;
        var step = NiceStep((hi - lo) / targetTicks);
        var min = Math.Floor((lo / step) + 1e-9) * step;
        var max = Math.Ceiling((hi / step) - 1e-9) * step;
        var ticks = new List<double>();
        for (var k = (long)Math.Round(min / step); k <= (long)Math.Round(max / step); k++)
        {
            ticks.Add(k * step);
        }
        return new AxisScale(min, max, ticks);
    }

    /// <summary>Where <paramref name="value"/> falls between <paramref name="from"/> (at Min) and <paramref name="to"/> (at Max).</summary>
    public double Map(double value, double from, double to) => from + ((value - Min) / (Max - Min) * (to - from));

    /// <summary>A tick label: plain for ordinary magnitudes, scientific for tiny or huge ones.</summary>
    public string Label(double tick)
    {
        if (Math.Abs(tick) < 1e-300)
            return "0";
        var span = Math.Max(Math.Abs(Min), Math.Abs(Max));
        return span is >= 0.01 and < 10_000
            ? tick.ToString("0.###", CultureInfo.InvariantCulture)
            : tick.ToString("0.#e+0", CultureInfo.InvariantCulture);
    }

    private static double NiceStep(double raw)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / power;
        return fraction <= 1 ? power : fraction <= 2 ? 2 * power : fraction <= 5 ? 5 * power : 10 * power;
    }
}
