namespace Infra.Core.Store;

/// <summary>A committed example's metadata and tokens, as <see cref="StoreSnapshot.ReadExamples"/> reads them.</summary>
public sealed record StoredExampleText(string Id, string Domain, int Difficulty, TokenDetails Tokens);
