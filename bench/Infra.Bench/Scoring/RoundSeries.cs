namespace Infra.Bench.Scoring;

/// <summary>
/// Figures measured once per round of an interleaved benchmark, kept in the order first seen. Reported as the
/// median over rounds with the lowest and highest, so a noisy neighbour shows as spread rather than as a figure.
/// </summary>
internal sealed class RoundSeries
{
    private readonly List<string> order = [];
    private readonly Dictionary<string, Figure> figures = [];

    /// <summary>Adds this round's value of <paramref name="name"/>.</summary>
    public double Add(string name, double value, string unit, string note = "")
    {
        if (!figures.TryGetValue(name, out var figure))
        {
            figure = new Figure(unit, note, []);
            figures[name] = figure;
            order.Add(name);
        }
        figure.Values.Add(value);
        return value;
    }

    /// <summary>Every figure: name, unit, note, median, lowest, highest and the per-round values.</summary>
    public IEnumerable<Summary> Summaries() => order.Select(name =>
    {
        var f = figures[name];
        var sorted = f.Values.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        return new Summary(name, f.Unit, f.Note, median, sorted[0], sorted[^1], f.Values.ToArray());
    });

    /// <summary>One figure over all rounds.</summary>
    public sealed record Summary(string Name, string Unit, string Note, double Median, double Min, double Max, double[] Rounds);

    private sealed record Figure(string Unit, string Note, List<double> Values);
}
