namespace Infra.Client.Pipeline;

/// <summary>What an index run did: examples in the corpus, already stored before, sent now, and the store's answer.</summary>
public sealed record IndexResult(int CorpusExamples, int AlreadyStored, int Sent, ulong Stored, ulong Skipped, ulong StoreExamples, long Tokens, double Seconds);
