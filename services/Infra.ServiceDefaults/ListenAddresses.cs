using System.Net;

namespace Infra.ServiceDefaults;

/// <summary>Which listening addresses only this machine can reach.</summary>
public static class ListenAddresses
{
    /// <summary>
    /// Whether an address Kestrel reports or is given (<c>http://127.0.0.1:5001</c>, <c>http://localhost:5001</c>,
    /// <c>http://[::1]:5001</c>, <c>unix:/…</c>) is reachable from this machine only. Wildcards
    /// (<c>http://+:8080</c>, <c>http://*:8080</c>, <c>http://0.0.0.0:8080</c>, <c>http://[::]:8080</c>) and
    /// any other host are not.
    /// </summary>
    public static bool IsLoopback(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var trimmed = address.Trim();
        if (trimmed.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("pipe:", StringComparison.OrdinalIgnoreCase))
            return true;
        // Uri cannot parse the wildcard hosts "+" and "*": take the host by hand.
        var rest = trimmed.Contains("://", StringComparison.Ordinal) ? trimmed[(trimmed.IndexOf("://", StringComparison.Ordinal) + 3)..] : trimmed;
        var end = rest.IndexOf('/', StringComparison.Ordinal);
        if (end >= 0) rest = rest[..end];
        string host;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            host = close > 0 ? rest[1..close] : rest;
        }
        else
        {
            var colon = rest.LastIndexOf(':');
            host = colon >= 0 ? rest[..colon] : rest;
        }
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }

    /// <summary>Whether <paramref name="endpoint"/> is a loopback IP endpoint.</summary>
    public static bool IsLoopback(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return IPAddress.IsLoopback(endpoint.Address);
    }
}
