namespace Infra.Validation.Fidelity;

/// <summary>The names the report uses for <see cref="StageOnePath"/>.</summary>
public static class StageOnePaths
{
    /// <summary>The kebab-case name of <paramref name="path"/>, e.g. <c>ekfac-store</c>.</summary>
    public static string Name(StageOnePath path) => path switch
    {
        StageOnePath.EkfacStore => "ekfac-store",
        StageOnePath.EkfacFullSpaceProjected => "ekfac-fullspace-projected",
        StageOnePath.Identity => "identity",
        StageOnePath.EigenTruncated => "eigen-truncated",
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, null),
    };
}
