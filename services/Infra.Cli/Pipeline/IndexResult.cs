namespace Infra.Cli.Pipeline;

/// <summary>What <c>infra index</c> did: examples in the corpus, already stored before, sent now, and the store's answer.</summary>
internal sealed record IndexResult(int CorpusExamples, int AlreadyStored, int Sent, ulong Stored, ulong Skipped, ulong StoreExamples, long Tokens, double Seconds);
