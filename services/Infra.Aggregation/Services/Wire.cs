using System.Text;
using Infra.Aggregation.Rollups;
using Infra.Aggregation.Sequences;
using Infra.Aggregation.Tokens;
using Infra.Contracts.Gradients.V1;
using ClientExample = Infra.Client.Rerank.RankedExample;
using WireCategory = Infra.Contracts.Aggregation.V1.TokenCategory;
using WireCell = Infra.Contracts.Aggregation.V1.RollupCell;
using WireExample = Infra.Contracts.Scoring.V1.ScoredExample;
using WireKind = Infra.Contracts.Aggregation.V1.SequenceKind;
using WireSequence = Infra.Contracts.Aggregation.V1.ScoredSequence;
using WireStats = Infra.Contracts.Aggregation.V1.CellStatistics;

namespace Infra.Aggregation.Services;

/// <summary>Domain types to proto messages.</summary>
internal static class Wire
{
    /// <summary>A sequence's kind on the wire (never UNSPECIFIED).</summary>
    public static WireKind Kind(SequenceKind kind) => kind switch
    {
        SequenceKind.Sentence => WireKind.Sentence,
        SequenceKind.CodeLine => WireKind.CodeLine,
        SequenceKind.CodeBlockHeader => WireKind.CodeBlockHeader,
        SequenceKind.Fence => WireKind.Fence,
        SequenceKind.End => WireKind.End,
        SequenceKind.Blank => WireKind.Blank,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a sequence kind the proto does not have"),
    };

    /// <summary>A token's category on the wire (never UNSPECIFIED).</summary>
    public static WireCategory Category(TokenCategory category) => category switch
    {
        TokenCategory.NaturalLanguageConnector => WireCategory.NaturalLanguageConnector,
        TokenCategory.Number => WireCategory.Number,
        TokenCategory.Operator => WireCategory.Operator,
        TokenCategory.CodeKeyword => WireCategory.CodeKeyword,
        TokenCategory.PunctuationSyntax => WireCategory.PunctuationSyntax,
        TokenCategory.Identifier => WireCategory.Identifier,
        TokenCategory.Word => WireCategory.Word,
        TokenCategory.Whitespace => WireCategory.Whitespace,
        TokenCategory.Special => WireCategory.Special,
        TokenCategory.Other => WireCategory.Other,
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "a token category the proto does not have"),
    };

    /// <summary>An enum value as the proto documents it: CodeLine -> CODE_LINE.</summary>
    public static string UpperSnake<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i])) text.Append('_');
            text.Append(char.ToUpperInvariant(name[i]));
        }
        return text.ToString();
    }

    public static WireCell Cell(RollupCell cell) => new()
    {
        QueryDomain = cell.QueryDomain,
        TrainingDomain = cell.TrainingDomain,
        Difficulty = cell.Difficulty ?? 0,
        Group = cell.Group,
        Subgroup = cell.Subgroup,
        AllSubgroups = cell.AllSubgroups,
        Statistics = new WireStats
        {
            N = (uint)cell.Statistics.N,
            Mean = cell.Statistics.Mean,
            Median = cell.Statistics.Median,
            Sum = cell.Statistics.Sum,
            SharePositive = cell.Statistics.SharePositive,
            CiLow = cell.Statistics.CiLow,
            CiHigh = cell.Statistics.CiHigh,
        },
    };

    /// <summary>A roll-up's example (a mean over stage 1 scores).</summary>
    public static WireExample Example(RankedExample e, ScoreFidelity fidelity) => new()
    {
        Id = e.ExampleId, Domain = e.Domain, Difficulty = e.Difficulty, Score = e.Influence, Normalized = double.NaN, Fidelity = fidelity,
        ApproximateScore = fidelity == ScoreFidelity.Exact ? double.NaN : e.Influence,
    };

    /// <summary>A two-stage ranking's example: exact, with its stage 1 score beside it, or approximate.</summary>
    public static WireExample Example(ClientExample e) => new()
    {
        Id = e.Id, Domain = e.Domain, Difficulty = e.Difficulty, Score = e.Score, Normalized = e.Normalized, Fidelity = e.Fidelity,
        ApproximateScore = e.ApproximateScore,
    };

    /// <summary>The fidelity of token scores as the ScoringService or the exact rescorer labelled them (unlabelled = approximate).</summary>
    public static ScoreFidelity Fidelity(ScoreFidelity label) => label == ScoreFidelity.Unspecified ? ScoreFidelity.Approximate : label;

    /// <summary>Sequence <paramref name="index"/> of <paramref name="map"/> with its scores for the given query columns.</summary>
    public static WireSequence Sequence(string exampleId, SequenceTokenMap map, int index, IReadOnlySet<string> tags, IEnumerable<int> queryColumns,
        ScoreFidelity fidelity)
    {
        var s = map.Sequences[index];
        var wire = new WireSequence
        {
            ExampleId = exampleId,
            Index = (uint)index,
            Kind = Kind(s.Kind),
            CharStart = s.Start,
            CharLength = s.Length,
            Text = map.Tokens.Text.Substring(s.Start, s.Length),
            TokenCount = (uint)map.TokensOf(index).Count,
            Fidelity = fidelity,
        };
        wire.Scores.AddRange(queryColumns.Select(q => map.Score(index, q)));
        wire.Tags.AddRange(tags.Order(StringComparer.Ordinal));
        return wire;
    }
}
