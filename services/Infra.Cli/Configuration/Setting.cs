namespace Infra.Cli.Configuration;

/// <summary>
/// One setting of the CLI: its configuration key (as in infra.json, sections joined by ':'), its flag and its default.
/// The environment variable is derived the ordinary .NET way: <c>INFRA_</c> + the key with ':' written as "__".
/// </summary>
internal sealed record Setting(string Key, string Flag, string? Default, string Description)
{
    /// <summary>Prefix of the CLI's environment variables.</summary>
    public const string EnvironmentPrefix = "INFRA_";

    /// <summary>The environment variable that sets this key, e.g. INFRA_SCORING__ADDRESS for Scoring:Address.</summary>
    public string EnvironmentVariable => EnvironmentPrefix + Key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>"Scoring:Address (--scoring-address, INFRA_SCORING__ADDRESS)": how errors name a setting, so every way to fix it shows.</summary>
    public string Describe() => $"{Key} ({Flag}, {EnvironmentVariable})";
}
