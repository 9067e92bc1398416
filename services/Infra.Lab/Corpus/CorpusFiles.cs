namespace Infra.Lab.Corpus;

/// <summary>File names inside a built corpus folder.</summary>
public static class CorpusFiles
{
    public const string Train = "train.jsonl";
    public const string HeldOut = "heldout.jsonl";
    public const string MathQueries = "queries-math.jsonl";
    public const string CodeQueries = "queries-code.jsonl";
    public const string Manifest = "manifest.json";

    /// <summary>Names the generator and its version in the manifest; bump when output for a seed changes.</summary>
    public const string GeneratorVersion = "infra-lab-corpus/1";
}
