using Infra.Core.Errors;

namespace Infra.Aggregation.Services;

/// <summary>
/// Paths in a request are the server's, so they must stay under the folder the operator configured for them: a
/// relative path is resolved under the root, an absolute one is accepted only inside it, and anything that resolves
/// outside (<c>../..</c>, an absolute path elsewhere, a symbolic link inside the root that points out of it) is
/// refused as INVALID_ARGUMENT naming the request field. Without this a caller could read or write anywhere the
/// service's account can.
/// </summary>
internal static class ServerPaths
{
    /// <summary>The full path of <paramref name="requested"/> under <paramref name="root"/>; throws when it is outside.</summary>
    /// <param name="root">The configured root (relative roots are relative to the working directory).</param>
    /// <param name="requested">The path from the request.</param>
    /// <param name="field">The request field, as spelled in protos/, for the error.</param>
    /// <exception cref="DomainException">The path resolves outside the root (InvalidArgument naming <paramref name="field"/>).</exception>
    public static string Under(string root, string requested, string field)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var rootFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (requested.Contains('\0', StringComparison.Ordinal)) throw Outside(requested, field);
        var full = Path.GetFullPath(Path.Combine(rootFull, requested));
        if (!IsUnder(full, rootFull)) throw Outside(requested, field);
        // A link inside the root may point anywhere; follow every existing link between the root and the path.
        for (var at = full; at.Length > rootFull.Length; at = Path.GetDirectoryName(at)!)
        {
            FileSystemInfo info = Directory.Exists(at) ? new DirectoryInfo(at) : new FileInfo(at);
            if (info.Exists && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target
                && !IsUnder(Path.GetFullPath(target.FullName), rootFull))
                throw Outside(requested, field);
        }
        return full;
    }

    private static bool IsUnder(string path, string root) =>
        string.Equals(path, root, StringComparison.Ordinal) || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static DomainException Outside(string requested, string field) =>
        DomainException.InvalidArgument($"{field} '{requested}' is outside the folder the server allows for it; give a path under that folder (relative paths are resolved under it)", field);
}
