using System.Security.Cryptography;
using System.Text;

namespace Infra.ServiceDefaults;

/// <summary>How the API key travels: the <c>x-api-key</c> gRPC metadata (an HTTP/2 header).</summary>
public static class ApiKeyMetadata
{
    /// <summary>The metadata key: "x-api-key".</summary>
    public const string Name = "x-api-key";

    /// <summary>
    /// Whether <paramref name="presented"/> is <paramref name="expected"/>, in time that depends on neither:
    /// both are hashed first (SHA-256), so even their lengths stay hidden, then compared in fixed time.
    /// </summary>
    public static bool Matches(string expected, string? presented)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (presented is null) return false;
        Span<byte> a = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> b = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
