using System.CommandLine;
using Infra.Cli.Terminal;
using Infra.Corpus;

namespace Infra.Cli.Corpora;

/// <summary>
/// The options that say how a user's corpus file is read (layout, column names, fixed domain, difficulty mapping or
/// bins), shared by every command that reads one; <see cref="Read"/> turns them into <see cref="CorpusReaderOptions"/>.
/// With none given a file is read in the lab's schema exactly as before (or its layout is detected from its columns).
/// </summary>
internal sealed class CorpusOptions
{
    private readonly Option<string?> _layout = new("--layout") { Description = "column layout: lab, problem-solution, question-answer, instruction-output, messages or sharegpt (default: detected from the columns)" };
    private readonly Option<string?> _id = new("--id-column") { Description = "id column (default: id; a file without one gets ids STEM-ROW)" };
    private readonly Option<string?> _domainColumn = new("--domain-column") { Description = "domain column (default: domain)" };
    private readonly Option<string?> _domain = new("--domain") { Description = "domain of rows without a domain value (e.g. science); without it such a row is an error" };
    private readonly Option<string?> _prompt = new("--prompt-column") { Description = "prompt column (default: the layout's: prompt, problem, question, instruction)" };
    private readonly Option<string?> _response = new("--response-column") { Description = "response column (default: the layout's: response, solution, answer, output)" };
    private readonly Option<string?> _difficulty = new("--difficulty-column") { Description = "difficulty column (default: difficulty; rows without a value are unlabelled)" };
    private readonly Option<string?> _map = new("--difficulty-map")
    {
        Description = "map difficulty labels to levels: a preset (math-levels, apps, easy-medium-hard), \"label=level,label=level\" or @file.json",
    };
    private readonly Option<int?> _bins = new("--difficulty-bins") { Description = "cut a numeric difficulty column (e.g. ratings) into N quantile levels (N >= 2)" };

    /// <summary>The options, created once per command (System.CommandLine options belong to one command).</summary>
    public CorpusOptions(bool withDomain = true)
    {
        _layout.AcceptOnlyFromAmong([.. CorpusLayouts.Names]);
        All = withDomain ? [_layout, _id, _domainColumn, _domain, _prompt, _response, _difficulty, _map, _bins] : [_layout, _id, _domainColumn, _prompt, _response, _difficulty, _map, _bins];
    }

    /// <summary>Every option, to add to a command.</summary>
    public IReadOnlyList<Option> All { get; }

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>The reader options <paramref name="parse"/> gives (a @file mapping relative to <paramref name="workingDirectory"/>).</summary>
    /// <exception cref="CliException"><see cref="ExitCodes.Usage"/>: a mapping and bins together, fewer than 2 bins, a malformed mapping, an empty name.</exception>
    public CorpusReaderOptions Read(ParseResult parse, string workingDirectory)
    {
        var map = parse.GetValue(_map);
        var bins = parse.GetValue(_bins);
        if (map is not null && bins is not null) throw new CliException(ExitCodes.Usage, "give either --difficulty-map or --difficulty-bins, not both");
        if (bins is < 2) throw new CliException(ExitCodes.Usage, "--difficulty-bins must be at least 2");
        IReadOnlyDictionary<string, int>? mapping;
        try
        {
            mapping = map is null ? null : DifficultyMaps.Parse(map, workingDirectory);
        }
        catch (ArgumentException e)
        {
            throw new CliException(ExitCodes.Usage, $"--difficulty-map: {e.Message}", e);
        }
        var domain = All.Contains(_domain) ? parse.GetValue(_domain) : null;
        return new CorpusReaderOptions
        {
            Layout = parse.GetValue(_layout) is { } layout ? CorpusLayouts.Parse(layout) : null,
            Columns = new CorpusColumns
            {
                Id = Name(parse, _id),
                Domain = Name(parse, _domainColumn),
                Prompt = Name(parse, _prompt),
                Response = Name(parse, _response),
                Difficulty = Name(parse, _difficulty),
            },
            Domain = domain is null ? null : NonEmpty(domain, "--domain"),
            DifficultyMapping = mapping,
            DifficultyBins = bins ?? 0,
        };
    }

    private static string? Name(ParseResult parse, Option<string?> option) => parse.GetValue(option) is { } name ? NonEmpty(name, option.Name) : null;

    private static string NonEmpty(string value, string option) =>
        string.IsNullOrWhiteSpace(value) ? throw new CliException(ExitCodes.Usage, $"{option} needs a non-empty name") : value;
}
