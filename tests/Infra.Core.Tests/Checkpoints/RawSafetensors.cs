using System.Text;

namespace Infra.Core.Tests.Checkpoints;

/// <summary>Writes safetensors bytes by hand, independent of the writer under test.</summary>
internal static class RawSafetensors
{
    public static void Write(string path, string headerJson, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new List<byte>();
        ulong length = (ulong)header.Length;
        for (var i = 0; i < 8; i++)
            bytes.Add((byte)(length >> (8 * i)));
        bytes.AddRange(header);
        bytes.AddRange(data);
        File.WriteAllBytes(path, bytes.ToArray());
    }
}
