using System.Globalization;
using Infra.Core.Metadata;

namespace Infra.Corpus;

/// <summary>
/// Reads the difficulty column of one corpus into levels: given integers, a label table or quantile bins
/// (<see cref="CorpusReaderOptions"/>). An absent or null value is level 0, unlabelled. Every bad value is an error
/// naming the column and the value; the row number is added by the caller.
/// </summary>
internal sealed class DifficultyColumn
{
    private readonly DifficultySource _source;
    private readonly string _column;
    private readonly IReadOnlyDictionary<string, int> _mapping;
    private readonly int _bins;
    private IReadOnlyList<double> _edges = [];
    private int _highest;

    private DifficultyColumn(DifficultySource source, string column, IReadOnlyDictionary<string, int> mapping, int bins)
    {
        _source = source;
        _column = column;
        _mapping = mapping;
        _bins = bins;
    }

    /// <summary>Whether the column is the level itself (Given), so it is not also kept as metadata.</summary>
    public bool IsLevel => _source == DifficultySource.Given;

    /// <summary>The reader for <paramref name="options"/>' difficulty settings on column <paramref name="column"/>.</summary>
    /// <exception cref="ArgumentException">Both a mapping and bins, fewer than 2 bins, or a negative mapped level.</exception>
    public static DifficultyColumn Create(CorpusReaderOptions options, string column)
    {
        if (options.DifficultyMapping is { } mapping)
        {
            if (options.DifficultyBins != 0) throw new ArgumentException("difficulty is either mapped from labels or binned, not both", nameof(options));
            if (mapping.Count == 0) throw new ArgumentException("the difficulty mapping is empty", nameof(options));
            if (mapping.FirstOrDefault(p => p.Value < 0) is { Key: not null } bad)
                throw new ArgumentException($"the difficulty mapping gives label '{bad.Key}' the negative level {bad.Value.ToString(CultureInfo.InvariantCulture)}", nameof(options));
            return new DifficultyColumn(DifficultySource.Mapped, column, new Dictionary<string, int>(mapping, StringComparer.Ordinal), 0);
        }
        if (options.DifficultyBins != 0)
        {
            if (options.DifficultyBins < 2) throw new ArgumentException($"difficulty bins must be at least 2, not {options.DifficultyBins.ToString(CultureInfo.InvariantCulture)}", nameof(options));
            return new DifficultyColumn(DifficultySource.Binned, column, new Dictionary<string, int>(), options.DifficultyBins);
        }
        return new DifficultyColumn(DifficultySource.Given, column, new Dictionary<string, int>(), 0);
    }

    /// <summary>Computes the bin edges over every numeric value of the column (binned only; others need no fitting).</summary>
    public void Fit(IEnumerable<object?> values)
    {
        if (_source != DifficultySource.Binned) return;
        _edges = QuantileBins.Edges(values.Select(Number).OfType<double>(), _bins);
    }

    /// <summary>The level of <paramref name="value"/> (null = absent: unlabelled); problems go to <paramref name="errors"/>.</summary>
    public int Level(object? value, List<string> errors)
    {
        if (value is null) return DifficultyScheme.Unlabelled;
        var level = _source switch
        {
            DifficultySource.Mapped => Mapped(value, errors),
            DifficultySource.Binned => Number(value) is { } number ? DifficultyScheme.BinLevel(_edges, number) : NotNumeric(value, errors),
            _ => Given(value, errors),
        };
        _highest = Math.Max(_highest, level);
        return level;
    }

    /// <summary>The scheme used, after every row was read: Given's and Mapped's level count is the highest level seen.</summary>
    public DifficultyScheme Scheme() => _source switch
    {
        DifficultySource.Mapped => new DifficultyScheme(_source, _column, _mapping, [], Math.Max(_highest, _mapping.Values.Max())),
        DifficultySource.Binned => new DifficultyScheme(_source, _column, new Dictionary<string, int>(), _edges, _edges.Count + 1),
        _ => new DifficultyScheme(_source, _column, new Dictionary<string, int>(), [], _highest),
    };

    private int Given(object value, List<string> errors)
    {
        if (value is not long level)
        {
            errors.Add($"field '{_column}' must be an integer but is {CorpusRow.Quote(value)}");
            return DifficultyScheme.Unlabelled;
        }
        if (level < 1 || level > int.MaxValue)
        {
            errors.Add($"difficulty {level.ToString(CultureInfo.InvariantCulture)} in column '{_column}' is not a level (levels are integers >= 1; leave the value out or null for an unlabelled example)");
            return DifficultyScheme.Unlabelled;
        }
        return (int)level;
    }

    private int Mapped(object value, List<string> errors)
    {
        if (value is System.Text.Json.JsonElement)
        {
            errors.Add($"column '{_column}' must hold a label but is {CorpusRow.Quote(value)}");
            return DifficultyScheme.Unlabelled;
        }
        var label = value as string ?? CorpusRow.Quote(value); // 3 and "3" are the same label
        if (_mapping.TryGetValue(label, out var level)) return level;
        errors.Add($"label {CorpusRow.Quote(value)} in column '{_column}' has no mapping (mapped labels: {string.Join(", ", _mapping.Keys.Order(StringComparer.Ordinal).Select(k => $"\"{k}\""))})");
        return DifficultyScheme.Unlabelled;
    }

    private int NotNumeric(object value, List<string> errors)
    {
        errors.Add($"column '{_column}' is binned, so it must hold numbers, but has {CorpusRow.Quote(value)}");
        return DifficultyScheme.Unlabelled;
    }

    private static double? Number(object? value) => value switch
    {
        long integer => integer,
        double number when double.IsFinite(number) => number,
        _ => null,
    };
}
