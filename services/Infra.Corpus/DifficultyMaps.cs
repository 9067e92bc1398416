using System.Globalization;
using System.Text.Json;

namespace Infra.Corpus;

/// <summary>
/// Named label -> level tables for common public corpora, and the parser of a mapping as the CLI takes it
/// (a preset name, "label=level,label=level", or @file.json holding a JSON object of label -> level).
/// </summary>
public static class DifficultyMaps
{
    /// <summary>MATH (Hendrycks et al.): "Level 1".."Level 5" -> 1..5.</summary>
    public static IReadOnlyDictionary<string, int> MathLevels { get; } = Table(Enumerable.Range(1, 5).Select(l => ($"Level {l.ToString(CultureInfo.InvariantCulture)}", l)));

    /// <summary>APPS: introductory / interview / competition -> 1 / 2 / 3.</summary>
    public static IReadOnlyDictionary<string, int> Apps { get; } = Table([("introductory", 1), ("interview", 2), ("competition", 3)]);

    /// <summary>LiveCodeBench, Codeforces-style easy / medium / hard -> 1 / 2 / 3 (lower case and capitalised).</summary>
    public static IReadOnlyDictionary<string, int> EasyMediumHard { get; } =
        Table([("easy", 1), ("medium", 2), ("hard", 3), ("Easy", 1), ("Medium", 2), ("Hard", 3)]);

    /// <summary>The presets by name: "math-levels", "apps", "easy-medium-hard".</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Presets { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.OrdinalIgnoreCase)
        {
            ["math-levels"] = MathLevels,
            ["apps"] = Apps,
            ["easy-medium-hard"] = EasyMediumHard,
        };

    /// <summary>
    /// The table <paramref name="spec"/> names: a preset, "label=level,label=level" (split at the last '=' of each
    /// pair, so a label may hold '='; labels with commas need a file), or "@path" to a JSON object of label -> integer
    /// level (relative to <paramref name="workingDirectory"/>). Levels are integers >= 0; 0 marks a label as unlabelled.
    /// </summary>
    /// <exception cref="ArgumentException">The spec is empty, malformed, has a duplicate label or a bad level; the message says which.</exception>
    public static IReadOnlyDictionary<string, int> Parse(string spec, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrWhiteSpace(spec)) throw new ArgumentException("the difficulty mapping is empty", nameof(spec));
        if (Presets.TryGetValue(spec.Trim(), out var preset)) return preset;
        if (spec.StartsWith('@')) return FromFile(Path.GetFullPath(spec[1..], workingDirectory));
        var pairs = new List<(string, int)>();
        foreach (var pair in spec.Split(','))
        {
            var at = pair.LastIndexOf('=');
            if (at <= 0 || !int.TryParse(pair[(at + 1)..].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var level))
                throw new ArgumentException($"difficulty mapping '{pair}' is not label=level (or use a preset: {string.Join(", ", Presets.Keys)}; or @file.json)", nameof(spec));
            pairs.Add((pair[..at].Trim(), level));
        }
        return Checked(pairs, "the difficulty mapping");
    }

    private static Dictionary<string, int> FromFile(string path)
    {
        if (!File.Exists(path)) throw new ArgumentException($"difficulty mapping file {path} does not exist");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ArgumentException($"difficulty mapping file {path} must hold a JSON object of label -> level");
            var pairs = new List<(string, int)>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var level))
                    throw new ArgumentException($"difficulty mapping file {path}: label '{property.Name}' maps to {property.Value.GetRawText()}, not an integer level");
                pairs.Add((property.Name, level));
            }
            return Checked(pairs, $"difficulty mapping file {path}");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"difficulty mapping file {path} is not valid JSON: {e.Message}", e);
        }
    }

    private static Dictionary<string, int> Checked(List<(string Label, int Level)> pairs, string what)
    {
        var table = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (label, level) in pairs)
        {
            if (level < 0) throw new ArgumentException($"{what}: label '{label}' has the negative level {level.ToString(CultureInfo.InvariantCulture)}");
            if (!table.TryAdd(label, level)) throw new ArgumentException($"{what}: label '{label}' is mapped twice");
        }
        if (table.Count == 0) throw new ArgumentException($"{what} is empty");
        return table;
    }

    private static Dictionary<string, int> Table(IEnumerable<(string Label, int Level)> pairs) =>
        pairs.ToDictionary(p => p.Label, p => p.Level, StringComparer.Ordinal);
}
