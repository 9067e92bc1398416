using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace Infra.Aggregation.Tests.Grpc;

/// <summary>
/// One gRPC call written by hand over HTTP/2 (prior knowledge, plain text): a frame whose payload is exactly the given
/// bytes, which no generated client would send (undecodable protobuf, invalid UTF-8 in a string field).
/// </summary>
internal static class RawGrpc
{
    /// <summary>The call's grpc-status and (percent-decoded) grpc-message.</summary>
    public static async Task<(int Status, string Message)> CallAsync(Uri address, string method, byte[] payload)
    {
        using var http = new HttpClient();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, method))
        {
            Content = new ByteArrayContent(frame), Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        using var response = await http.SendAsync(request);
        _ = await response.Content.ReadAsByteArrayAsync();
        // A trailers-only response carries the status in its headers.
        string? Header(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.First()
            : response.Headers.TryGetValues(name, out var header) ? header.First() : null;
        return Header("grpc-status") is { } status
            ? (int.Parse(status, System.Globalization.CultureInfo.InvariantCulture), Uri.UnescapeDataString(Header("grpc-message") ?? ""))
            : (-1, $"HTTP {(int)response.StatusCode} {response.Version}: {response.Headers} {response.TrailingHeaders}");
    }
}
