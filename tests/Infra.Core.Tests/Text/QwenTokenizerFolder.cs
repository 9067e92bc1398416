namespace Infra.Core.Tests.Text;

/// <summary>
/// Finds the real Qwen tokenizer: <c>$INFRA_QWEN_TOKENIZER_DIR</c>, else
/// <c>&lt;repo&gt;/.cache/qwen-tokenizer</c> (the repo root holds Infra.Services.sln).
/// Missing files fail the test with the command that fetches them; they are never skipped.
/// </summary>
internal static class QwenTokenizerFolder
{
    public const string EnvironmentVariable = "INFRA_QWEN_TOKENIZER_DIR";

    public static string Locate()
    {
        var folder = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.Combine(RepoRoot(), ".cache", "qwen-tokenizer");
        if (!File.Exists(Path.Combine(folder, "tokenizer.json")) || !File.Exists(Path.Combine(folder, "tokenizer_config.json")))
        {
            throw new InvalidOperationException(
                $"The Qwen tokenizer is not in {folder}. Run `bash eng/fetch-qwen-tokenizer.sh` from the repository root " +
                $"(or set {EnvironmentVariable} to a folder holding tokenizer.json and tokenizer_config.json).");
        }
        return folder;
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Infra.Services.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Infra.Services.sln above {AppContext.BaseDirectory}");
    }
}
