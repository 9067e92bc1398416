using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Infra.Core.Errors;

namespace Infra.Aggregation.Sequences;

/// <summary>
/// Behaviour tags (verification, exploration, backtracking, reflection, ...) and the phrases that
/// signal them ("Let me verify", "Alternatively", "Let me go back", "Wait", ...). A phrase matches
/// case-insensitively, on word boundaries (no letter, digit or '_' just before or after it), with
/// any run of whitespace for a space and either apostrophe (' or ’) for an apostrophe.
/// </summary>
/// <remarks>
/// The file format is JSON: <c>{"behaviours": {"tag": ["phrase", ...], ...}}</c>; other top-level
/// keys (such as "_comment") are ignored. <see cref="Default"/> is the embedded
/// <c>DefaultBehaviourLexicon.json</c>, which covers the model lab's tagged phrasings.
/// </remarks>
public sealed class BehaviourLexicon
{
    private const string DefaultResource = "Infra.Aggregation.Sequences.DefaultBehaviourLexicon.json";
    private static readonly Lazy<BehaviourLexicon> DefaultLexicon = new(LoadDefault);
    private readonly Dictionary<string, Regex> _patterns;
    private readonly Dictionary<string, (string Phrase, Regex Exact)[]> _phrasePatterns;

    /// <summary>A lexicon of <paramref name="phrases"/> per tag.</summary>
    /// <exception cref="ArgumentException">No tags, an empty tag name, a tag without phrases, or an empty phrase.</exception>
    public BehaviourLexicon(IReadOnlyDictionary<string, IReadOnlyList<string>> phrases)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        if (phrases.Count == 0)
            throw DomainException.InvalidArgument("a behaviour lexicon needs at least one tag");
        _patterns = new Dictionary<string, Regex>(StringComparer.Ordinal);
        _phrasePatterns = new Dictionary<string, (string, Regex)[]>(StringComparer.Ordinal);
        var copy = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (tag, list) in phrases)
        {
            if (string.IsNullOrWhiteSpace(tag))
                throw DomainException.InvalidArgument("a behaviour tag name is empty");
            if (list is null || list.Count == 0)
                throw DomainException.InvalidArgument($"behaviour tag '{tag}' has no phrases");
            if (list.FirstOrDefault(string.IsNullOrWhiteSpace) is not null)
                throw DomainException.InvalidArgument($"behaviour tag '{tag}' has an empty phrase");
            copy[tag] = list.ToArray();
            _patterns[tag] = Pattern(list);
            _phrasePatterns[tag] = list.Select(p => (p, new Regex($"^(?:{PhrasePattern(p)})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))).ToArray();
        }
        Phrases = copy;
    }

    /// <summary>The embedded default lexicon (tags verification, exploration, backtracking, reflection).</summary>
    public static BehaviourLexicon Default => DefaultLexicon.Value;

    /// <summary>Tags and their phrases.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Phrases { get; }

    /// <summary>Tag names, in file order.</summary>
    public IEnumerable<string> Tags => Phrases.Keys;

    /// <summary>Loads a lexicon file.</summary>
    /// <exception cref="BehaviourLexiconException">The file is missing, unreadable, not JSON, or not in the format; the message names the file and the problem.</exception>
    public static BehaviourLexicon Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BehaviourLexiconException($"behaviour lexicon '{path}' cannot be read: {e.Message}", e);
        }
        return Parse(json, path);
    }

    /// <summary>Parses lexicon JSON; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="BehaviourLexiconException">Not JSON or not in the format.</exception>
    public static BehaviourLexicon Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new BehaviourLexiconException($"behaviour lexicon '{source}' is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Problem(source, $"the top level must be an object, not {Describe(root.ValueKind)}");
            if (!root.TryGetProperty("behaviours", out var behaviours))
                throw Problem(source, "it has no \"behaviours\" object (expected {\"behaviours\": {\"tag\": [\"phrase\", ...]}})");
            if (behaviours.ValueKind != JsonValueKind.Object)
                throw Problem(source, $"\"behaviours\" must be an object of tag -> phrase list, not {Describe(behaviours.ValueKind)}");
            var phrases = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var tag in behaviours.EnumerateObject())
            {
                if (string.IsNullOrWhiteSpace(tag.Name))
                    throw Problem(source, "a behaviour tag name is empty");
                if (phrases.ContainsKey(tag.Name))
                    throw Problem(source, $"behaviour tag '{tag.Name}' appears twice");
                if (tag.Value.ValueKind != JsonValueKind.Array)
                    throw Problem(source, $"behaviour tag '{tag.Name}' must be a list of phrases, not {Describe(tag.Value.ValueKind)}");
                var list = new List<string>();
                var i = 0;
                foreach (var phrase in tag.Value.EnumerateArray())
                {
                    if (phrase.ValueKind != JsonValueKind.String)
                        throw Problem(source, $"phrase {i} of behaviour tag '{tag.Name}' must be a string, not {Describe(phrase.ValueKind)}");
                    if (string.IsNullOrWhiteSpace(phrase.GetString()))
                        throw Problem(source, $"phrase {i} of behaviour tag '{tag.Name}' is empty");
                    list.Add(phrase.GetString()!);
                    i++;
                }
                if (list.Count == 0)
                    throw Problem(source, $"behaviour tag '{tag.Name}' has no phrases");
                phrases[tag.Name] = list;
            }
            if (phrases.Count == 0)
                throw Problem(source, "\"behaviours\" has no tags");
            return new BehaviourLexicon(phrases);
        }
    }

    /// <summary>Every phrase occurrence in <paramref name="text"/>, ordered by position then tag order.</summary>
    public IReadOnlyList<BehaviourMatch> Matches(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var matches = new List<BehaviourMatch>();
        foreach (var (tag, pattern) in _patterns)
        {
            foreach (Match match in pattern.Matches(text))
                matches.Add(new BehaviourMatch(tag, _phrasePatterns[tag].First(p => p.Exact.IsMatch(match.Value)).Phrase, match.Index, match.Length));
        }
        return matches.OrderBy(m => m.Start).ToList();
    }

    /// <summary>The tags with at least one phrase in <paramref name="text"/>.</summary>
    public IReadOnlySet<string> Tag(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _patterns.Where(p => p.Value.IsMatch(text)).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
    }

    private static Regex Pattern(IEnumerable<string> phrases)
    {
        // Longest first, so that "let me verify" is reported rather than a shorter phrase it contains.
        var alternatives = phrases.OrderByDescending(p => p.Length).Select(PhrasePattern);
        return new Regex(
            $@"(?<![\p{{L}}\p{{N}}_])(?:{string.Join('|', alternatives)})(?![\p{{L}}\p{{N}}_])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    private static string PhrasePattern(string phrase)
    {
        var pattern = new StringBuilder();
        foreach (var word in phrase.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (pattern.Length > 0)
                pattern.Append(@"\s+");
            pattern.Append(Regex.Escape(word).Replace("'", "['\u2019]", StringComparison.Ordinal));
        }
        return pattern.ToString();
    }

    private static BehaviourLexiconException Problem(string source, string problem) =>
        new($"behaviour lexicon '{source}' is not usable: {problem}");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static BehaviourLexicon LoadDefault()
    {
        using var stream = typeof(BehaviourLexicon).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw DomainException.FailedPrecondition($"the embedded resource {DefaultResource} is missing from the assembly");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "embedded " + DefaultResource);
    }
}
