using System.Net;

namespace Infra.Gradients.Services;

/// <summary>
/// The addresses <c>forward_to</c> may name: the configured list (scheme, host and port; case-insensitive) and, when
/// allowed, any loopback address. A caller must not make the GradientService connect to a host of its choosing and
/// send it the service's API key.
/// </summary>
public sealed class ForwardTargets
{
    private readonly HashSet<string> _allowed;
    private readonly bool _loopback;

    /// <param name="allowed">Comma-separated absolute http(s) addresses; blanks are ignored.</param>
    /// <param name="allowLoopback">Whether any loopback address is allowed as well.</param>
    public ForwardTargets(string allowed, bool allowLoopback)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        _allowed = new HashSet<string>(allowed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(a => Uri.TryCreate(a, UriKind.Absolute, out var uri) ? Key(uri) : a), StringComparer.OrdinalIgnoreCase);
        _loopback = allowLoopback;
    }

    /// <summary>Whether <paramref name="target"/> may be forwarded to.</summary>
    public bool Allows(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (_allowed.Contains(Key(target))) return true;
        return _loopback && (string.Equals(target.Host, "localhost", StringComparison.OrdinalIgnoreCase)
                             || (IPAddress.TryParse(target.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip)));
    }

    private static string Key(Uri uri) => uri.GetLeftPart(UriPartial.Authority);
}
