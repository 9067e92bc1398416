namespace Infra.Cli;

/// <summary>Finds the checkout this tool runs in, so repository-relative defaults work from any folder inside it.</summary>
internal static class RepositoryRoot
{
    /// <summary>The file that marks the root.</summary>
    public const string Marker = "Infra.Services.sln";

    /// <summary>
    /// The nearest folder holding <see cref="Marker"/>, walking up from the current directory and then from this
    /// assembly's location (an installed tool run from elsewhere); null when neither is inside a checkout.
    /// </summary>
    public static string? Find() => FindFrom(Environment.CurrentDirectory) ?? FindFrom(AppContext.BaseDirectory);

    /// <summary>The nearest folder at or above <paramref name="start"/> holding <see cref="Marker"/>, or null.</summary>
    public static string? FindFrom(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, Marker))) return folder.FullName;
        }
        return null;
    }
}
