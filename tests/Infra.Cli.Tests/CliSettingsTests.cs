using Infra.Cli.Configuration;
using Infra.Cli.Terminal;

namespace Infra.Cli.Tests;

/// <summary>Settings precedence (flags > INFRA_* environment > config file > defaults) and validation that names the setting.</summary>
public sealed class CliSettingsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("infra-cli-settings-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private CliContext Context(Dictionary<string, string?>? environment = null) =>
        new(TextWriter.Null, TextWriter.Null, environment ?? [], _root);

    private static Dictionary<string, string?> NoFlags => [];

    [Fact]
    public void Defaults_apply_when_nothing_is_set()
    {
        var settings = CliSettingsLoader.Load(NoFlags, null, Context());
        Assert.Equal(new Uri("http://127.0.0.1:5001"), settings.GradientsAddress.Single);
        Assert.Equal(new Uri("http://127.0.0.1:5002"), settings.ScoringAddress.Single);
        Assert.Same(settings.ScoringAddress, settings.ScoringForwardAddress);
        Assert.Equal(new Uri("http://127.0.0.1:5003"), settings.AggregationAddress);
        Assert.Null(settings.ApiKey);
        Assert.Equal(Path.Combine(_root, "artifacts", "infra"), settings.Output);
        Assert.Equal(64, settings.ProjectionDim); // 8 KiB per tracked layer per example in bf16
        Assert.Equal(8, settings.BatchSize);
        Assert.Null(settings.ConfigFile);
    }

    [Fact]
    public void Flags_beat_environment_which_beats_the_config_file_which_beats_defaults()
    {
        File.WriteAllText(Path.Combine(_root, "infra.json"), """
            { "Scoring": { "Address": "http://file:1" }, "Gradients": { "Address": "http://file:2" }, "BatchSize": 3, "ApiKey": "from-file", "Output": "file-out" }
            """);
        var environment = new Dictionary<string, string?>
        {
            ["INFRA_SCORING__ADDRESS"] = "http://env:1",
            ["INFRA_BATCHSIZE"] = "5",
            ["infra_projectiondim"] = "12",
            ["OTHER_BATCHSIZE"] = "99",
        };
        var flags = new Dictionary<string, string?> { ["Scoring:Address"] = "http://flag:1", ["BatchSize"] = null };

        var settings = CliSettingsLoader.Load(flags, null, Context(environment));

        Assert.Equal(new Uri("http://flag:1"), settings.ScoringAddress.Single); // flag > env > file
        Assert.Equal(new Uri("http://file:2"), settings.GradientsAddress.Single);    // file > default
        Assert.Equal(5, settings.BatchSize);                                 // env > file (an absent flag does not count)
        Assert.Equal(12, settings.ProjectionDim);                            // env names are case-insensitive
        Assert.Equal("from-file", settings.ApiKey);
        Assert.Equal(Path.Combine(_root, "file-out"), settings.Output);
        Assert.Equal(Path.Combine(_root, "infra.json"), settings.ConfigFile);
    }

    [Fact]
    public void Config_flag_beats_INFRA_CONFIG_which_beats_the_local_infra_json()
    {
        File.WriteAllText(Path.Combine(_root, "infra.json"), """{ "BatchSize": 1 }""");
        File.WriteAllText(Path.Combine(_root, "env.json"), """{ "BatchSize": 2 }""");
        File.WriteAllText(Path.Combine(_root, "flag.json"), """{ "BatchSize": 3 }""");
        var environment = new Dictionary<string, string?> { ["INFRA_CONFIG"] = "env.json" };
        Assert.Equal(1, CliSettingsLoader.Load(NoFlags, null, Context()).BatchSize);
        Assert.Equal(2, CliSettingsLoader.Load(NoFlags, null, Context(environment)).BatchSize);
        Assert.Equal(3, CliSettingsLoader.Load(NoFlags, "flag.json", Context(environment)).BatchSize);
    }

    [Fact]
    public void Invalid_values_are_usage_errors_naming_the_setting_and_its_sources()
    {
        var environment = new Dictionary<string, string?> { ["INFRA_SCORING__ADDRESS"] = "scoring:5002", ["INFRA_BATCHSIZE"] = "0" };
        var error = Assert.Throws<CliException>(() => CliSettingsLoader.Load(NoFlags, null, Context(environment)));
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("Scoring:Address (--scoring-address, INFRA_SCORING__ADDRESS)", error.Message, StringComparison.Ordinal);
        Assert.Contains("'scoring:5002'", error.Message, StringComparison.Ordinal);
        Assert.Contains("BatchSize (--batch-size, INFRA_BATCHSIZE) must be an integer from 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scoring_address_list_names_a_sharded_store_and_the_forward_list_defaults_to_it()
    {
        var flags = new Dictionary<string, string?> { ["Scoring:Address"] = "http://s0:1,http://s1:1, dns:///scoring:8080" };
        var settings = CliSettingsLoader.Load(flags, null, Context());
        Assert.Null(settings.ScoringAddress.Single);
        Assert.Equal("http://s0:1,http://s1:1, dns:///scoring:8080", settings.ScoringAddress.Text);
        Assert.Same(settings.ScoringAddress, settings.ScoringForwardAddress);

        flags["Scoring:ForwardAddress"] = "http://s0:1,,http://s1:1";
        var error = Assert.Throws<CliException>(() => CliSettingsLoader.Load(flags, null, Context()));
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("Scoring:ForwardAddress (--forward-to, INFRA_SCORING__FORWARDADDRESS)", error.Message, StringComparison.Ordinal);
        Assert.Contains("empty entry", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gradients_address_list_names_several_workers_and_a_malformed_one_is_a_usage_error_naming_the_entry()
    {
        var flags = new Dictionary<string, string?> { ["Gradients:Address"] = "http://g0:1, http://g1:1,dns:///gradients:8080" };
        var settings = CliSettingsLoader.Load(flags, null, Context());
        Assert.Null(settings.GradientsAddress.Single);
        Assert.Equal("http://g0:1, http://g1:1,dns:///gradients:8080", settings.GradientsAddress.Text);
        Assert.Equal(new Uri("http://g0:1"), settings.GradientsAddress.First);

        flags["Gradients:Address"] = "http://g0:1,gradients:8080";
        var error = Assert.Throws<CliException>(() => CliSettingsLoader.Load(flags, null, Context()));
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("Gradients:Address (--gradients-address, INFRA_GRADIENTS__ADDRESS)", error.Message, StringComparison.Ordinal);
        Assert.Contains("gradients address 'gradients:8080'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_malformed_config_file_is_a_usage_error_naming_it()
    {
        var missing = Assert.Throws<CliException>(() => CliSettingsLoader.Load(NoFlags, "nope.json", Context()));
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
        Assert.Contains(Path.Combine(_root, "nope.json"), missing.Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(_root, "infra.json"), "{ not json");
        var malformed = Assert.Throws<CliException>(() => CliSettingsLoader.Load(NoFlags, null, Context()));
        Assert.Equal(ExitCodes.Usage, malformed.ExitCode);
        Assert.Contains("infra.json is not valid JSON", malformed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_setting_has_an_environment_variable_derived_from_its_key()
    {
        Assert.Equal("INFRA_SCORING__FORWARDADDRESS", Settings.ScoringForwardAddress.EnvironmentVariable);
        Assert.Equal("INFRA_APIKEY", Settings.ApiKey.EnvironmentVariable);
        Assert.Equal(Settings.All.Count, Settings.All.Select(s => s.Flag).Distinct().Count());
    }
}
