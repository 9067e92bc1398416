namespace Infra.Bench.Scoring;

/// <summary>Peak resident set (VmHWM) of this process, and its reset (Linux <c>clear_refs</c> value 5).</summary>
internal static class ProcessMemory
{
    public static long PeakRssBytes() => ReadKb("VmHWM:") * 1024;

    public static long RssBytes() => ReadKb("VmRSS:") * 1024;

    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long ReadKb(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        return -1;
    }
}
