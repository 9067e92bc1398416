using Microsoft.Extensions.Options;

namespace Infra.ServiceDefaults;

/// <summary>Start-up checks of <see cref="SecurityOptions"/>; every message names the setting at fault.</summary>
internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrEmpty(options.ApiKey) && !string.IsNullOrEmpty(options.ApiKeyFile))
            failures.Add($"{SecurityOptions.Section}:ApiKey and {SecurityOptions.Section}:ApiKeyFile are both set: set one");
        if (!string.IsNullOrEmpty(options.ApiKeyFile) && !File.Exists(options.ApiKeyFile))
            failures.Add($"{SecurityOptions.Section}:ApiKeyFile '{options.ApiKeyFile}' does not exist");
        else if (string.IsNullOrEmpty(options.ApiKey) || string.IsNullOrEmpty(options.ApiKeyFile))
        {
            var key = options.ResolveApiKey();
            var setting = string.IsNullOrEmpty(options.ApiKey) ? "ApiKeyFile" : "ApiKey";
            if (key is not null && key.Length < SecurityOptions.MinimumKeyLength)
                failures.Add($"{SecurityOptions.Section}:{setting} gives a key of {key.Length} characters; use at least {SecurityOptions.MinimumKeyLength} (e.g. openssl rand -hex 32)");
        }
        if (!string.IsNullOrEmpty(options.ForwardApiKey) && options.ForwardApiKey.Length < SecurityOptions.MinimumKeyLength)
            failures.Add($"{SecurityOptions.Section}:ForwardApiKey has {options.ForwardApiKey.Length} characters; use at least {SecurityOptions.MinimumKeyLength}");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
