using System.Text;
using Infra.Core.Checkpoints;

namespace Infra.Core.Tests.Checkpoints;

public class SafetensorsLargeTensorTests
{
    [Fact]
    public void Tensor_over_2GB_is_read_in_ranges_and_refused_as_one_span()
    {
        using var dir = new TempFolder();
        var path = dir.File("large.safetensors");
        const long elements = 600_000_000; // 2.4 GB of F32: past int.MaxValue bytes
        var header = Encoding.UTF8.GetBytes($$$"""{"big":{"dtype":"F32","shape":[{{{elements}}}],"data_offsets":[0,{{{elements * 4}}}]}}""");
        // A sparse file: only the header and the last few values occupy disk.
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.Write(BitConverter.GetBytes((ulong)header.Length));
            stream.Write(header);
            stream.SetLength(8 + header.Length + (elements * 4));
            stream.Seek(-8, SeekOrigin.End);
            stream.Write(BitConverter.GetBytes(1.5f));
            stream.Write(BitConverter.GetBytes(-2.5f));
        }

        using var file = SafetensorsFile.Open(path);
        var ex = Assert.Throws<CheckpointException>(() => file.GetBytes("big"));
        Assert.Contains("large.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tensor 'big' is 2400000000 bytes, too large for one span", ex.Message, StringComparison.Ordinal);

        var tail = new float[3];
        file.ReadAsFloat32("big", elements - 3, tail);
        Assert.Equal([0f, 1.5f, -2.5f], tail);
        Assert.Equal(-2.5f, BitConverter.ToSingle(file.GetBytes("big", (elements * 4) - 4, 4)));
    }
}
