using Infra.Core.Metadata;

namespace Infra.Core.Store;

/// <summary>A committed example's metadata and tokens, as <see cref="StoreSnapshot.ReadExamples"/> reads them.</summary>
public sealed record StoredExampleText(string Id, string Domain, int Difficulty, TokenDetails Tokens)
{
    /// <summary>The corpus's other columns, as indexed. Defaults to empty.</summary>
    public IReadOnlyDictionary<string, MetadataValue> Metadata { get; init; } = MetadataColumns.None;
}
