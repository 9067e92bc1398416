namespace Infra.Corpus.Tests;

/// <summary>A temporary folder for real corpus files, removed after the test.</summary>
public sealed class TempFolder : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("infra-corpus-").FullName;

    public string Write(string name, params string[] lines)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
