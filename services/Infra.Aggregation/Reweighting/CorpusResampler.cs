using System.Globalization;
using Infra.Aggregation.Rollups;
using Infra.Core.Errors;
using Infra.Core.Statistics;
using Infra.Corpus;

namespace Infra.Aggregation.Reweighting;

/// <summary>
/// Turns weights into a resampled corpus: draws with replacement, each draw picking example i with
/// probability w_i / Σ w (SplitMix64 seeded by <c>seed</c>; inverse CDF over the examples in input
/// order), so the same weights and seed always give the same corpus.
/// </summary>
public static class CorpusResampler
{
    /// <summary>The field naming the original example of a resampled line: "source_id".</summary>
    public const string SourceIdField = "source_id";

    /// <summary>
    /// How many copies of each example (in input order) <paramref name="count"/> draws give
    /// (default: as many draws as examples).
    /// </summary>
    /// <exception cref="ArgumentException">No examples, a negative or non-finite weight, or all weights 0.</exception>
    public static IReadOnlyList<int> Draw(IReadOnlyList<WeightedExample> weighted, ulong seed, int? count = null)
    {
        ArgumentNullException.ThrowIfNull(weighted);
        if (weighted.Count == 0)
        {
            throw DomainException.InvalidArgument("no examples to resample");
        }
        var draws = count ?? weighted.Count;
        ArgumentOutOfRangeException.ThrowIfNegative(draws, nameof(count));
        var cumulative = new double[weighted.Count];
        var total = 0.0;
        for (var i = 0; i < weighted.Count; i++)
        {
            var weight = weighted[i].Weight;
            if (!(double.IsFinite(weight) && weight >= 0))
            {
                throw DomainException.InvalidArgument($"example '{weighted[i].Example.Id}' has weight {weight} (needs a finite value >= 0)");
            }
            total += weight;
            cumulative[i] = total;
        }
        if (total <= 0)
        {
            throw DomainException.InvalidArgument("every weight is 0: nothing to sample");
        }
        var copies = new int[weighted.Count];
        var random = new SeededRandom(seed);
        for (var d = 0; d < draws; d++)
        {
            var target = random.NextDouble() * total;
            // First index whose cumulative weight exceeds the target; zero-weight examples are never hit.
            var index = Array.BinarySearch(cumulative, target);
            index = index >= 0 ? index + 1 : ~index;
            while (index < copies.Length - 1 && weighted[index].Weight == 0)
            {
                index++;
            }
            copies[Math.Min(index, copies.Length - 1)]++;
        }
        return copies;
    }

    /// <summary>
    /// Writes the resampled corpus: each line of <paramref name="corpus"/> repeated as often as drawn
    /// (in corpus order, dropped when never drawn), all fields kept, with "source_id" = the original id;
    /// the first copy keeps the id, the k-th (k ≥ 2) gets id "{id}~{k}" so ids stay unique for the corpus reader.
    /// </summary>
    /// <exception cref="InvalidDataException">A line without a copy count, or a count without a line.</exception>
    public static void WriteJsonl(TextReader corpus, IReadOnlyDictionary<string, int> copies, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(copies);
        var seen = 0;
        foreach (var (line, id, root) in WeightedCorpus.Lines(corpus))
        {
            using (root)
            {
                if (!copies.TryGetValue(id, out var count))
                {
                    throw DomainException.InvalidArgument($"line {line.ToString(CultureInfo.InvariantCulture)}: no copy count for example '{id}'");
                }
                seen++;
                for (var k = 1; k <= count; k++)
                {
                    var copyId = k == 1 ? id : $"{id}~{k.ToString(CultureInfo.InvariantCulture)}";
                    WeightedCorpus.WriteLine(
                        output,
                        root.RootElement,
                        prepend: writer => writer.WriteString(CorpusFields.Id, copyId),
                        append: writer => writer.WriteString(SourceIdField, id),
                        CorpusFields.Id,
                        SourceIdField);
                }
            }
        }
        if (seen != copies.Count)
        {
            throw DomainException.InvalidArgument($"{(copies.Count - seen).ToString(CultureInfo.InvariantCulture)} copy counts have no record in the corpus");
        }
        output.Flush();
    }

    /// <summary>Copy counts by id, from <see cref="Draw"/>'s output.</summary>
    public static IReadOnlyDictionary<string, int> ById(IReadOnlyList<WeightedExample> weighted, IReadOnlyList<int> copies)
    {
        ArgumentNullException.ThrowIfNull(weighted);
        ArgumentNullException.ThrowIfNull(copies);
        return weighted.Select((item, i) => (item.Example.Id, Copies: copies[i])).ToDictionary(pair => pair.Id, pair => pair.Copies, StringComparer.Ordinal);
    }
}
