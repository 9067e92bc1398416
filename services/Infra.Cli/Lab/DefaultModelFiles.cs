namespace Infra.Cli.Lab;

/// <summary>Names inside a default-model folder, shared by the builder and the demo.</summary>
internal static class DefaultModelFiles
{
    public const string Corpus = "corpus";
    public const string Model = "model";
    public const string Tokenizer = "tokenizer";
    public const string AccuracyJson = "accuracy.json";
    public const string AccuracyMarkdown = "accuracy.md";
    public const string MathQueries = "queries-math.jsonl";
    public const string CodeQueries = "queries-code.jsonl";

    /// <summary>A balanced sample of the training split, small enough to commit when the full split is not.</summary>
    public const string TrainSample = "train-sample.jsonl";

    /// <summary>Where the default lives, relative to the repository root.</summary>
    public static readonly string RepositoryFolder = Path.Combine("models", "default");
}
