namespace Infra.Lab.Corpus;

/// <summary>The splits and query sets of one build; queries are held-out problems with their correct answers.</summary>
public sealed record BuiltCorpus(
    CorpusBuildOptions Options,
    IReadOnlyList<LabExample> Train,
    IReadOnlyList<LabExample> HeldOut,
    IReadOnlyList<LabExample> MathQueries,
    IReadOnlyList<LabExample> CodeQueries);
