namespace Infra.Lab.Experiments;

/// <summary>Writes a file so that readers see the old content or the new, never a torn one: a temporary file, then a rename.</summary>
public static class AtomicText
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically (creating its folder).</summary>
    public static void Write(string path, string text)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, full, overwrite: true);
    }
}
