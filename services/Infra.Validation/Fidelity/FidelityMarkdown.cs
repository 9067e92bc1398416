using System.Globalization;
using System.Text;

namespace Infra.Validation.Fidelity;

/// <summary>The fidelity report (<c>results.md</c>): a summary table per path and k, then the recall curves.</summary>
public static class FidelityMarkdown
{
    /// <summary>The recall a candidate count must reach to count as enough for stage 2.</summary>
    public const double EnoughRecall = 0.95;

    /// <summary>The whole report.</summary>
    public static string Render(FidelityResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var o = results.Options;
        var text = new StringBuilder();
        text.AppendLine(Invariant($"{results.Examples.Count} training examples, {results.Queries.Count} queries, {results.TrackedLayers.Count} tracked layers, {o.Seeds} projection seed(s); {results.Cpu}; {results.WallSeconds:F0} s in all."));
        text.AppendLine(Invariant($"Full-space EK-FAC fit {results.FitSeconds:F1} s; exact reference {results.ExactSeconds:F1} s. Figures: mean over queries, then mean [min, max] over seeds."));
        var two = results.StageTwo;
        text.AppendLine();
        text.AppendLine(Invariant($"Stage 2 (the exact scorer ScoreExact runs) on every example vs the reference: max |difference| {two.MaxRelativeError:E1} of the largest score; ")
            + Invariant($"token scores sum to the example score to {two.TokenSumRelativeError:E1}. Cost for the {results.Queries.Count} queries: query gradients {two.QuerySeconds:F1} s, ")
            + Invariant($"then {1e3 * two.SecondsPerExample:F0} ms per example (example scores), {1e3 * two.TokenSecondsPerExample:F0} ms per example with token scores."));
        text.AppendLine();
        var at10 = Index(o.CandidateShares, 0.10);
        var at20 = Index(o.CandidateShares, 0.20);
        text.AppendLine(Invariant($"| path | k | Spearman | top-{o.TopK} overlap | recall@10% | recall@20% | N for recall >= {EnoughRecall:F2} (top / bottom) | bf16 B/layer | int8 B/layer | bf16 B total | query set s | index s |"));
        text.AppendLine("| --- | ---: | --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results.Rows)
        {
            text.AppendLine(Invariant($"| {r.Path} | {r.K} | {Cell(r.Spearman)} | {Cell(r.TopOverlap)} | {At(r.RecallTop, at10)} | {At(r.RecallTop, at20)} | ")
                + Invariant($"{Enough(r.RecallTop, results)} / {Enough(r.RecallBottom, results)} | {r.Bf16BytesPerLayer:N0} | {r.Int8BytesPerLayer:N0} | {r.Bf16BytesTotal:N0} | ")
                + Invariant($"{r.QuerySeconds.Mean:F2} | {Seconds(r.IndexSeconds.Mean)} |"));
        }
        Curve(text, "Recall of the exact top-" + o.TopK + " within stage 1's top-N", results, r => r.RecallTop);
        Curve(text, "Recall of the exact bottom-" + o.TopK + " within stage 1's bottom-N", results, r => r.RecallBottom);
        return text.ToString();
    }

    private static void Curve(StringBuilder text, string title, FidelityResults results, Func<FidelityRow, IReadOnlyList<Spread>> curve)
    {
        text.AppendLine();
        text.AppendLine(Invariant($"{title} (mean over seeds):"));
        text.AppendLine();
        var shares = results.Options.CandidateShares;
        text.AppendLine("| path | k | " + string.Join(" | ", shares.Select((s, i) => Invariant($"{s:P0} (N={results.CandidateCounts[i]})"))) + " |");
        text.AppendLine("| --- | ---: |" + string.Concat(shares.Select(_ => " ---: |")));
        foreach (var r in results.Rows)
            text.AppendLine(Invariant($"| {r.Path} | {r.K} | ") + string.Join(" | ", curve(r).Select(s => Invariant($"{s.Mean:F3}"))) + " |");
    }

    // The smallest candidate count whose mean recall reaches EnoughRecall, or "> N" of the largest share measured.
    private static string Enough(IReadOnlyList<Spread> curve, FidelityResults results)
    {
        for (var i = 0; i < curve.Count; i++)
        {
            if (curve[i].Mean >= EnoughRecall)
                return Invariant($"{results.CandidateCounts[i]} ({results.Options.CandidateShares[i]:P0})");
        }
        return Invariant($"> {results.CandidateCounts[^1]}");
    }

    private static int Index(IReadOnlyList<double> shares, double share)
    {
        for (var i = 0; i < shares.Count; i++)
        {
            if (Math.Abs(shares[i] - share) < 1e-9) return i;
        }
        return -1;
    }

    private static string At(IReadOnlyList<Spread> curve, int index) => index < 0 ? "-" : Cell(curve[index]);

    private static string Cell(Spread s) => s.Count <= 1 ? Invariant($"{s.Mean:F3}") : Invariant($"{s.Mean:F3} [{s.Min:F3}, {s.Max:F3}]");

    private static string Seconds(double s) => double.IsFinite(s) ? Invariant($"{s:F1}") : "-";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
