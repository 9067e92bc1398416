using Infra.Contracts.Metadata;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Errors;
using Infra.Core.Store;
using WireValue = Infra.Contracts.Gradients.V1.MetadataValue;

namespace Infra.Scoring.Mapping;

/// <summary>
/// The metadata a Score call's chunks carry (<see cref="ScoreRequest.MetadataColumns"/>): per example one
/// <see cref="ExampleMetadata"/> with the requested columns. "domain" is always present (a string, possibly ""),
/// "difficulty" and "estimated_difficulty" always (ints, 0 = unlabelled); a corpus column is absent where the example
/// has no value.
/// </summary>
internal sealed class ScoreChunkMetadata
{
    private readonly IReadOnlyList<string> _columns;
    private readonly EstimatedDifficulty? _estimate;

    private ScoreChunkMetadata(IReadOnlyList<string> columns, EstimatedDifficulty? estimate)
    {
        _columns = columns;
        _estimate = estimate;
    }

    /// <summary>What chunks of <paramref name="snapshot"/> carry for <paramref name="requested"/>; null when nothing is requested (the chunks stay as they were).</summary>
    /// <exception cref="DomainException">A column neither built in nor held by any stored example (InvalidArgument naming it and listing the available ones).</exception>
    public static ScoreChunkMetadata? For(StoreSnapshot snapshot, IReadOnlyCollection<string> requested)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(requested);
        if (requested.Count == 0) return null;
        var stored = MetadataColumnSummary.Names(snapshot);
        var columns = requested.Distinct(StringComparer.Ordinal).ToList();
        if (columns.FirstOrDefault(c => !MetadataColumns.IsReserved(c) && !stored.Contains(c, StringComparer.Ordinal)) is { } unknown)
            throw DomainException.InvalidArgument(
                $"metadata column '{unknown}' is not in the store; available: {string.Join(", ", MetadataColumns.Reserved.Concat(stored))}", "metadata_columns");
        var estimate = columns.Contains(MetadataColumns.EstimatedDifficulty, StringComparer.Ordinal) ? EstimatedDifficultyFile.GetOrCompute(snapshot) : null;
        return new ScoreChunkMetadata(columns, estimate);
    }

    /// <summary>Adds to <paramref name="chunk"/> the metadata of <paramref name="shard"/>'s rows <paramref name="start"/>..+<paramref name="count"/>.</summary>
    public void Fill(ScoreChunk chunk, ShardMetadata shard, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ArgumentNullException.ThrowIfNull(shard);
        for (var row = start; row < start + count; row++)
        {
            var values = new ExampleMetadata();
            foreach (var column in _columns)
            {
                if (Value(shard, row, column) is { } value) values.Values[column] = value;
            }
            chunk.Metadata.Add(values);
        }
    }

    private WireValue? Value(ShardMetadata shard, int row, string column) => column switch
    {
        MetadataColumns.Domain => new WireValue { StringValue = shard.Domains[row] },
        MetadataColumns.Difficulty => new WireValue { IntValue = shard.Difficulties[row] },
        MetadataColumns.EstimatedDifficulty => new WireValue { IntValue = _estimate!.Level(shard, row) },
        _ => shard.Columns.TryGetValue(column, out var values) && values[row] is { } value ? MetadataWire.ToWire(value) : null,
    };
}
