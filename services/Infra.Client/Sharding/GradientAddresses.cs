namespace Infra.Client.Sharding;

/// <summary>
/// Gradients:Address (and Aggregation:GradientAddress): the GradientService, or several GradientService workers, read by
/// <see cref="ServiceAddresses"/> with errors naming a "gradients address". One http(s) address is the one GradientService
/// it always was; several spread indexing and stage 2 over the workers (<c>Infra.Client.Workers</c>).
/// </summary>
public static class GradientAddresses
{
    /// <summary>How the errors name an entry.</summary>
    public const string Noun = "gradients address";

    /// <summary>Reads the configured text.</summary>
    /// <exception cref="FormatException">Not a list of http(s)://HOST[:PORT] and dns:///NAME:PORT entries; the message names the entry.</exception>
    public static ServiceAddresses Parse(string text) => ServiceAddresses.Parse(text, Noun);

    /// <summary>Whether <paramref name="text"/> parses; <paramref name="error"/> says why not.</summary>
    public static bool TryParse(string? text, out ServiceAddresses? addresses, out string? error) => ServiceAddresses.TryParse(text, Noun, out addresses, out error);
}
