namespace Infra.Testing;

/// <summary>The configuration the tests start each service with (CPU, quiet logs), with their own settings layered on.</summary>
public static class ServiceSettings
{
    /// <summary>A GradientService on <paramref name="modelPath"/> (CPU), its factors under <paramref name="factorsPath"/>.</summary>
    public static Dictionary<string, string?> Gradients(string modelPath, string factorsPath, IDictionary<string, string?>? settings = null) =>
        With(new Dictionary<string, string?>
        {
            ["Gradients:ModelPath"] = modelPath,
            ["Gradients:Device"] = "cpu",
            ["Gradients:FactorsPath"] = factorsPath,
            ["Logging:LogLevel:Default"] = "Warning",
        }, settings);

    /// <summary>A ScoringService over the store folder <paramref name="storePath"/>.</summary>
    public static Dictionary<string, string?> Scoring(string storePath, IDictionary<string, string?>? settings = null) =>
        With(new Dictionary<string, string?>
        {
            ["Scoring:StorePath"] = storePath,
            ["Logging:LogLevel:Default"] = "Warning",
        }, settings);

    /// <summary>An AggregationService reading <paramref name="scoringAddress"/> (and <paramref name="gradientAddress"/> when given), writing under <paramref name="root"/>.</summary>
    public static Dictionary<string, string?> Aggregation(Uri scoringAddress, Uri? gradientAddress, string root, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Aggregation:ScoringAddress"] = scoringAddress.ToString(),
            ["Aggregation:OutputRoot"] = root,
            ["Aggregation:CorpusRoot"] = root,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (gradientAddress is not null) all["Aggregation:GradientAddress"] = gradientAddress.ToString();
        return With(all, settings);
    }

    private static Dictionary<string, string?> With(Dictionary<string, string?> all, IDictionary<string, string?>? settings)
    {
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        return all;
    }
}
