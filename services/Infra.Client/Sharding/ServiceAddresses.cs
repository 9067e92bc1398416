using System.Net;
using System.Net.Sockets;

namespace Infra.Client.Sharding;

/// <summary>
/// Where a service's instances are, as configured: a comma-separated list whose entries are either one instance's
/// <c>http://</c> or <c>https://</c> address, or <c>dns:///NAME:PORT</c> (also <c>dns://NAME:PORT</c>), a name that
/// resolves (System.Net.Dns) to one instance per A/AAAA record, e.g. a Kubernetes headless Service. One http(s) address
/// is the single instance it always was. Scoring:Address reads ScoringService shards with it (<see cref="ScoringAddresses"/>:
/// the order of the list is the shard order, example i going to shard <c>CorpusPartition.IndexOf(id, n)</c>, so the list
/// must name the same shards in the same order on every run); Gradients:Address reads GradientService workers (any order).
/// </summary>
/// <remarks>
/// A name inside an http(s) address stays one instance even when it resolves to several addresses: <c>localhost</c>
/// resolves to ::1 and 127.0.0.1, both the same server. A dns:// name's records are sorted (IPv4 first, then by bytes)
/// to give them a stable order; that order is only as stable as the addresses themselves, so a StatefulSet whose pods
/// get new IPs on restart is better named pod by pod (http://scoring-0.scoring:8080,http://scoring-1.scoring:8080,...).
/// </remarks>
public sealed class ServiceAddresses
{
    private const string DnsScheme = "dns";
    private readonly IReadOnlyList<Uri> _entries;

    private ServiceAddresses(string text, string noun, IReadOnlyList<Uri> entries)
    {
        Text = text;
        Noun = noun;
        _entries = entries;
    }

    /// <summary>The configured text, as given.</summary>
    public string Text { get; }

    /// <summary>What the addresses are of, as errors name them: "scoring address", "gradients address".</summary>
    public string Noun { get; }

    /// <summary>The one http(s) address when the text names exactly one (the single-store form), else null.</summary>
    public Uri? Single => _entries is [{ Scheme: not DnsScheme } only] ? only : null;

    /// <summary>
    /// One instance's address, for calls any instance answers alike: the first entry, a dns:// entry as
    /// <c>http://NAME:PORT</c> (the channel then reaches one of its records).
    /// </summary>
    public Uri First => _entries[0] is { Scheme: DnsScheme } dns && DnsTarget(dns) is var (host, port) ? new UriBuilder(Uri.UriSchemeHttp, host, port).Uri : _entries[0];

    /// <summary>Reads the configured text; <paramref name="noun"/> ("scoring address") is how its errors name an entry.</summary>
    /// <exception cref="FormatException">An empty list or entry, or an entry that is not http(s)://HOST[:PORT] or dns:///NAME:PORT; the message names it.</exception>
    public static ServiceAddresses Parse(string text, string noun)
    {
        ArgumentException.ThrowIfNullOrEmpty(noun);
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<Uri>();
        foreach (var part in text.Split(','))
        {
            var entry = part.Trim();
            if (entry.Length == 0) throw new FormatException($"{noun} list '{text}' has an empty entry");
            if (!Uri.TryCreate(entry, UriKind.Absolute, out var uri))
                throw new FormatException($"{noun} '{entry}' is not an absolute http://, https:// or dns:/// address");
            if (uri.Scheme == DnsScheme)
            {
                if (DnsTarget(uri) is not (_, > 0)) throw new FormatException($"{noun} '{entry}' must name a host and port: dns:///NAME:PORT");
            }
            else if ((uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
                throw new FormatException($"{noun} '{entry}' is not an absolute http://, https:// or dns:/// address");
            entries.Add(uri);
        }
        return new ServiceAddresses(text, noun, entries);
    }

    /// <summary>Whether <paramref name="text"/> parses; <paramref name="error"/> says why not.</summary>
    public static bool TryParse(string? text, string noun, out ServiceAddresses? addresses, out string? error)
    {
        (addresses, error) = (null, null);
        try
        {
            addresses = Parse(text ?? "", noun);
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// The instances' addresses in list order: http(s) entries as given, each dns:// entry replaced by one http:// address
    /// per record it resolves to (sorted).
    /// </summary>
    /// <exception cref="SocketException">A dns:// name does not resolve.</exception>
    public async Task<IReadOnlyList<Uri>> ResolveAsync(CancellationToken token)
    {
        var instances = new List<Uri>();
        foreach (var entry in _entries)
        {
            if (entry.Scheme != DnsScheme)
            {
                instances.Add(entry);
                continue;
            }
            var (host, port) = DnsTarget(entry);
            var records = await Dns.GetHostAddressesAsync(host, token).ConfigureAwait(false);
            if (records.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
            instances.AddRange(records.Distinct().OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).ThenBy(a => a.GetAddressBytes(), ByteOrder.Instance)
                .Select(a => new UriBuilder(Uri.UriSchemeHttp, a.ToString(), port).Uri));
        }
        return instances;
    }

    /// <summary>The text.</summary>
    public override string ToString() => Text;

    // dns:///name:port (gRPC's form, empty authority) or dns://name:port.
    private static (string Host, int Port) DnsTarget(Uri uri)
    {
        if (uri.Host.Length > 0) return (uri.Host, uri.Port);
        var path = uri.AbsolutePath.TrimStart('/');
        var colon = path.LastIndexOf(':');
        return colon > 0 && int.TryParse(path.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            ? (path[..colon], port)
            : (path, -1);
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x!.AsSpan().SequenceCompareTo(y);
    }
}
