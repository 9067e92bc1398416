namespace Infra.Core.Kernels;

/// <summary>
/// The L1 data cache size of this machine, read once from Linux sysfs (<c>/sys/devices/system/cpu/cpu0/cache</c>);
/// 32 KiB, the smallest L1d of the x86 cores the kernels target, where it cannot be read. The GEMM sizes its k-block
/// from it: a query panel must leave room in L1 for the row tile streaming past it (Zen 4: 32 KiB, Sapphire Rapids:
/// 48 KiB).
/// </summary>
internal static class CacheGeometry
{
    /// <summary>Assumed when sysfs does not say (other OSes, containers hiding it).</summary>
    public const int DefaultL1DataBytes = 32 << 10;

    /// <summary>Bytes of L1 data cache per core.</summary>
    public static int L1DataBytes { get; } = ReadL1DataBytes();

    private static int ReadL1DataBytes()
    {
        try
        {
            foreach (var index in Directory.EnumerateDirectories("/sys/devices/system/cpu/cpu0/cache", "index*"))
            {
                var level = File.ReadAllText(Path.Combine(index, "level")).Trim();
                var type = File.ReadAllText(Path.Combine(index, "type")).Trim();
                if (level == "1" && type == "Data" && ParseSize(File.ReadAllText(Path.Combine(index, "size")).Trim()) is > 0 and var bytes)
                    return bytes;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No sysfs: the default below.
        }
        return DefaultL1DataBytes;
    }

    /// <summary>sysfs' size text ("32K", "1024K", "48K", "2M") in bytes; 0 when it is not one.</summary>
    internal static int ParseSize(string text)
    {
        if (text.Length == 0) return 0;
        var unit = char.ToUpperInvariant(text[^1]) switch { 'K' => 1 << 10, 'M' => 1 << 20, _ => 1 };
        var digits = unit == 1 ? text : text[..^1];
        return int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value <= int.MaxValue / unit ? value * unit : 0;
    }
}
