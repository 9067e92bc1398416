using Infra.Core.Kernels;

namespace Infra.Core.Tests.Kernels;

public sealed class CacheGeometryTests
{
    [Theory]
    [InlineData("32K", 32 << 10)]
    [InlineData("48K", 48 << 10)]
    [InlineData("1024K", 1 << 20)]
    [InlineData("2M", 2 << 20)]
    [InlineData("65536", 65536)]
    [InlineData("", 0)]
    [InlineData("K", 0)]
    [InlineData("-32K", 0)]
    [InlineData("32 K", 0)]
    [InlineData("9999999M", 0)]
    public void Sysfs_sizes_read_as_bytes_and_anything_else_as_zero(string text, int bytes) =>
        Assert.Equal(bytes, CacheGeometry.ParseSize(text));

    [Fact]
    public void This_machines_L1_is_read_or_the_default()
    {
        // Whatever the machine, a plausible L1d: 16 KiB to 1 MiB.
        Assert.InRange(CacheGeometry.L1DataBytes, 16 << 10, 1 << 20);
    }

    [Theory]
    [InlineData(32 << 10, 128)] // Zen 3 / Zen 4: a 16 KiB panel beside the tile
    [InlineData(48 << 10, 192)] // Sapphire Rapids, Ice Lake
    [InlineData(64 << 10, 256)] // never past the packed stride
    [InlineData(1 << 20, 256)]
    [InlineData(16 << 10, 64)]
    [InlineData(0, 64)]
    public void The_gemm_k_block_leaves_half_of_L1_to_the_row_tile(int l1, int kStep) =>
        Assert.Equal(kStep, ScoreJob<Float32Decoder, float>.KStep(l1));
}
