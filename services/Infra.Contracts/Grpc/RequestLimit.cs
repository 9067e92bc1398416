using Infra.Core.Errors;

namespace Infra.Contracts.Grpc;

/// <summary>
/// The one check behind every cost limit of a request: a count or size beyond the service's configured
/// bound is refused before any work, naming the proto field and the setting that raises it
/// (INVALID_ARGUMENT with a google.rpc.BadRequest naming the field, through <see cref="StatusMappingInterceptor"/>).
/// </summary>
public static class RequestLimit
{
    /// <summary>Throws unless <paramref name="value"/> is at most <paramref name="limit"/>.</summary>
    /// <param name="field">The proto field, as written in the .proto (e.g. "top_k", "queries.query_ids").</param>
    /// <param name="value">The request's value or entry count.</param>
    /// <param name="limit">The bound.</param>
    /// <param name="setting">The option that sets the bound, e.g. "Scoring:MaxTopK".</param>
    /// <exception cref="DomainException">The value is over the limit; the message names <paramref name="field"/> and <paramref name="setting"/>.</exception>
    public static void AtMost(string field, ulong value, long limit, string setting)
    {
        if (value > (ulong)Math.Max(limit, 0))
            throw DomainException.InvalidArgument($"{field} must be at most {limit} ({setting}); it is {value}", field);
    }

    /// <summary>Throws unless the list <paramref name="field"/> has at most <paramref name="limit"/> entries.</summary>
    /// <exception cref="DomainException">Too many entries; the message names <paramref name="field"/> and <paramref name="setting"/>.</exception>
    public static void Entries(string field, int count, long limit, string setting)
    {
        if (count > limit)
            throw DomainException.InvalidArgument($"{field} may have at most {limit} entries ({setting}); it has {count}", field);
    }
}
