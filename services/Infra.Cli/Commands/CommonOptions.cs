using System.CommandLine;
using Infra.Cli.Configuration;

namespace Infra.Cli.Commands;

/// <summary>
/// Flags every command takes (recursive on the root, so they go before or after the subcommand): --config, --json and
/// one flag per setting in <see cref="Settings"/>. Setting flags are strings so that a bad value is reported by the
/// settings validation, which names the setting and its other sources.
/// </summary>
internal sealed class CommonOptions
{
    public CommonOptions()
    {
        SettingOptions = Settings.All.Select(s => (s, new Option<string?>(s.Flag)
        {
            Description = $"{s.Description} [{s.Key}, {s.EnvironmentVariable}; default: {s.Default ?? "none"}]",
            Recursive = true,
        })).ToList();
    }

    /// <summary>The config file; default: INFRA_CONFIG, else ./infra.json when present.</summary>
    public Option<string?> Config { get; } = new("--config") { Description = "config file (JSON) [INFRA_CONFIG; default: ./infra.json when present]", Recursive = true };

    /// <summary>Machine-readable output: one JSON document on stdout, no progress bars. Defaults to false.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "print one JSON document on stdout instead of tables and progress", Recursive = true };

    /// <summary>One flag per setting.</summary>
    public IReadOnlyList<(Setting Setting, Option<string?> Option)> SettingOptions { get; }

    /// <summary>Adds every option to <paramref name="root"/> (recursively visible to its subcommands).</summary>
    public void AddTo(Command root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Options.Add(Config);
        root.Options.Add(Json);
        foreach (var (_, option) in SettingOptions) root.Options.Add(option);
    }

    /// <summary>Configuration keys -> values given as flags (null when absent).</summary>
    public IReadOnlyDictionary<string, string?> Flags(ParseResult parse) =>
        SettingOptions.ToDictionary(x => x.Setting.Key, x => parse.GetValue(x.Option), StringComparer.OrdinalIgnoreCase);
}
