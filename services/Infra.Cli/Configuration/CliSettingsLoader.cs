using Infra.Client.Sharding;
using System.Globalization;
using Infra.Cli.Terminal;
using Microsoft.Extensions.Configuration;

namespace Infra.Cli.Configuration;

/// <summary>
/// Resolves <see cref="CliSettings"/> the ordinary .NET way, later sources winning: defaults, then the config file
/// (<c>--config</c>, else INFRA_CONFIG, else ./infra.json when present), then INFRA_* environment variables
/// (sections joined by "__", e.g. INFRA_SCORING__ADDRESS), then flags. Invalid values are usage errors naming the setting.
/// </summary>
internal static class CliSettingsLoader
{
    /// <summary>The config file looked for in the working directory when none is named.</summary>
    public const string DefaultConfigFile = "infra.json";

    /// <summary>Environment variable naming the config file (below --config).</summary>
    public const string ConfigVariable = "INFRA_CONFIG";

    /// <summary>Loads and validates; <paramref name="flags"/> maps configuration keys to the values given on the command line.</summary>
    public static CliSettings Load(IReadOnlyDictionary<string, string?> flags, string? configFlag, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var configFile = ResolveConfigFile(configFlag, context);
        var builder = new ConfigurationBuilder()
            .AddInMemoryCollection(Settings.All.Where(s => s.Default is not null).Select(s => new KeyValuePair<string, string?>(s.Key, s.Default)));
        if (configFile is not null)
        {
            try
            {
                builder.AddJsonFile(configFile, optional: false, reloadOnChange: false);
                builder.Build();
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or IOException or System.Text.Json.JsonException)
            {
                throw new CliException(ExitCodes.Usage, $"config file {configFile} is not valid JSON: {e.InnerException?.Message ?? e.Message}", e);
            }
        }
        // The same mapping as AddEnvironmentVariables("INFRA_"), over the context's variables so tests stay hermetic.
        builder.AddInMemoryCollection(context.Environment
            .Where(kv => kv.Key.StartsWith(Setting.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && kv.Key != ConfigVariable)
            .Select(kv => new KeyValuePair<string, string?>(kv.Key[Setting.EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), kv.Value)));
        builder.AddInMemoryCollection(flags.Where(kv => kv.Value is not null));
        var configuration = builder.Build();
        return Validate(configuration, configFile, context.WorkingDirectory);
    }

    private static string? ResolveConfigFile(string? configFlag, CliContext context)
    {
        var named = configFlag ?? (context.Environment.TryGetValue(ConfigVariable, out var fromEnvironment) && !string.IsNullOrWhiteSpace(fromEnvironment) ? fromEnvironment : null);
        if (named is not null)
        {
            var path = Path.GetFullPath(named, context.WorkingDirectory);
            if (!File.Exists(path))
                throw new CliException(ExitCodes.Usage, $"config file {path} does not exist (named by {(configFlag is not null ? "--config" : ConfigVariable)})");
            return path;
        }
        var local = Path.Combine(context.WorkingDirectory, DefaultConfigFile);
        return File.Exists(local) ? local : null;
    }

    private static CliSettings Validate(IConfiguration configuration, string? configFile, string workingDirectory)
    {
        var errors = new List<string>();
        var gradients = Workers(configuration, Settings.GradientsAddress, errors);
        var scoring = Shards(configuration, Settings.ScoringAddress, errors);
        var forward = string.IsNullOrWhiteSpace(configuration[Settings.ScoringForwardAddress.Key]) ? scoring : Shards(configuration, Settings.ScoringForwardAddress, errors);
        var aggregation = Address(configuration, Settings.AggregationAddress, errors);
        var projection = Integer(configuration, Settings.ProjectionDim, 1, 65_536, errors);
        var batch = Integer(configuration, Settings.BatchSize, 1, 4_096, errors);
        var output = configuration[Settings.Output.Key];
        if (string.IsNullOrWhiteSpace(output)) errors.Add($"{Settings.Output.Describe()} must not be empty");
        if (errors.Count > 0) throw new CliException(ExitCodes.Usage, $"invalid setting{(errors.Count > 1 ? "s" : "")}: {string.Join("; ", errors)}");
        var apiKey = configuration[Settings.ApiKey.Key];
        return new CliSettings
        {
            GradientsAddress = gradients!,
            ScoringAddress = scoring!,
            ScoringForwardAddress = forward!,
            AggregationAddress = aggregation!,
            ApiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey,
            Output = Path.GetFullPath(output!, workingDirectory),
            ProjectionDim = projection,
            BatchSize = batch,
            ConfigFile = configFile,
        };
    }

    private static Uri? Address(IConfiguration configuration, Setting setting, List<string> errors)
    {
        var text = configuration[setting.Key];
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0)
            return uri;
        errors.Add($"{setting.Describe()} must be an absolute http:// or https:// address such as {setting.Default ?? Settings.ScoringAddress.Default}, got '{text}'");
        return null;
    }

    // One address, or the shards of a sharded store: a comma-separated list of http(s):// addresses and dns:/// names.
    private static ServiceAddresses? Shards(IConfiguration configuration, Setting setting, List<string> errors)
    {
        var text = configuration[setting.Key];
        if (ScoringAddresses.TryParse(text, out var addresses, out var error)) return addresses;
        errors.Add($"{setting.Describe()} must be an absolute http:// or https:// address such as {setting.Default ?? Settings.ScoringAddress.Default}, "
            + $"or a comma-separated list of them and dns:///NAME:PORT names (the shards of a sharded store): {error}");
        return null;
    }

    // One GradientService, or several workers: the same list syntax as the scoring shards.
    private static ServiceAddresses? Workers(IConfiguration configuration, Setting setting, List<string> errors)
    {
        var text = configuration[setting.Key];
        if (GradientAddresses.TryParse(text, out var addresses, out var error)) return addresses;
        errors.Add($"{setting.Describe()} must be an absolute http:// or https:// address such as {setting.Default}, "
            + $"or a comma-separated list of them and dns:///NAME:PORT names (several GradientService workers): {error}");
        return null;
    }

    private static int Integer(IConfiguration configuration, Setting setting, int min, int max, List<string> errors)
    {
        var text = configuration[setting.Key];
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        errors.Add($"{setting.Describe()} must be an integer from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got '{text}'");
        return 0;
    }
}
