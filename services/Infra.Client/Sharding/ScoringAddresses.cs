namespace Infra.Client.Sharding;

/// <summary>
/// Scoring:Address (and Aggregation:ScoringAddress): the ScoringService, or the shards of a sharded store, read by
/// <see cref="ServiceAddresses"/> with errors naming a "scoring address". The list order is the shard order.
/// </summary>
public static class ScoringAddresses
{
    /// <summary>How the errors name an entry.</summary>
    public const string Noun = "scoring address";

    /// <summary>Reads the configured text.</summary>
    /// <exception cref="FormatException">Not a list of http(s)://HOST[:PORT] and dns:///NAME:PORT entries; the message names the entry.</exception>
    public static ServiceAddresses Parse(string text) => ServiceAddresses.Parse(text, Noun);

    /// <summary>Whether <paramref name="text"/> parses; <paramref name="error"/> says why not.</summary>
    public static bool TryParse(string? text, out ServiceAddresses? addresses, out string? error) => ServiceAddresses.TryParse(text, Noun, out addresses, out error);
}
