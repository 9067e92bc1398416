using Infra.Core.Metadata;

namespace Infra.Aggregation.Rollups;

/// <summary>
/// A training example as the roll-ups see it: its id, training domain ("math", "code", any name), difficulty level
/// (0 = unlabelled) and the values of the metadata columns a <see cref="Grouping"/> asked for (null or absent = none).
/// </summary>
public sealed record ExampleAttributes(string Id, string Domain, int Difficulty, IReadOnlyDictionary<string, MetadataValue>? Metadata = null);
