using Infra.Core.IO;
using System.Globalization;
using System.Text;
using Infra.Cli.Terminal;

namespace Infra.Cli.Pipeline;

/// <summary>
/// Writes a query's scores: <c>scores-SET.json</c> (per query the top and bottom examples, and every score) and
/// <c>scores-SET.csv</c> (example_id, query_id, score, normalized, fidelity; one row per pair, sorted by example id: the stage 1
/// matrix, APPROXIMATE; the JSON's top and bottom lists carry their own fidelity, EXACT after a rerank).
/// Doubles are written round-trip exact ("R"), so two runs' files are equal exactly when their scores are.
/// </summary>
internal static class ScoreFiles
{
    /// <summary>Writes both files under <paramref name="folder"/>; returns their paths.</summary>
    public static async Task<(string Json, string Csv)> WriteAsync(string folder, QueryScores scores, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(scores);
        Directory.CreateDirectory(folder);
        var stem = Path.Combine(folder, $"scores-{scores.QuerySet}");
        var json = stem + ".json";
        var csv = stem + ".csv";
        await File.WriteAllTextAsync(json, ProjectJson.Serialize(scores, 1), token).ConfigureAwait(false);
        var text = new StringBuilder("example_id,query_id,score,normalized,fidelity\n");
        var fidelity = scores.All.Fidelity == Contracts.Gradients.V1.ScoreFidelity.Exact ? "exact" : "approximate";
        var all = scores.All;
        var q = all.QueryIds.Count;
        for (var i = 0; i < all.ExampleIds.Count; i++)
        {
            for (var j = 0; j < q; j++)
            {
                var normalized = all.Normalized is null ? "" : all.Normalized[i * q + j].ToString("R", CultureInfo.InvariantCulture);
                text.Append(CultureInfo.InvariantCulture, $"{Quote(all.ExampleIds[i])},{Quote(all.QueryIds[j])},{all.Raw[i * q + j].ToString("R", CultureInfo.InvariantCulture)},{normalized},{fidelity}\n");
            }
        }
        await File.WriteAllTextAsync(csv, text.ToString(), token).ConfigureAwait(false);
        return (json, csv);
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
