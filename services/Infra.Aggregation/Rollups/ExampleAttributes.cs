namespace Infra.Aggregation.Rollups;

/// <summary>A training example as the roll-ups see it: its id, training domain ("math", "code", ...) and difficulty (1-5 in the corpus schema).</summary>
public sealed record ExampleAttributes(string Id, string Domain, int Difficulty);
