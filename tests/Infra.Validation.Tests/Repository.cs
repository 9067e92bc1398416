namespace Infra.Validation.Tests;

/// <summary>The checkout the tests run in, for the committed default tokenizer.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    /// <summary>models/default/model: the default model's trained byte-level BPE tokenizer.</summary>
    public static string DefaultTokenizer => Path.Combine(Root, "models", "default", "model");

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Infra.Services.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException("the tests must run inside the checkout (no Infra.Services.sln above " + AppContext.BaseDirectory + ")");
    }
}
