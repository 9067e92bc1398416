using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Sets VER_FLG_WEAK on one named entry of an ELF64 little-endian file's .gnu.version_r
/// (SHT_GNU_verneed) section, in place. Files that lack the entry are left untouched.
/// </summary>
public sealed class WeakenElfVersionNeed : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            try
            {
                var result = Patch(path, VersionName);
                Log.LogMessage(MessageImportance.Low, "{0}: {1} {2}", path, VersionName, result);
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidDataException || ex is UnauthorizedAccessException)
            {
                Log.LogError("Cannot weaken {0} in {1}: {2}", VersionName, path, ex.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    private static string Patch(string path, string versionName)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var ident = Read(fs, 0, 16);
        if (ident[0] != 0x7f || ident[1] != (byte)'E' || ident[2] != (byte)'L' || ident[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (ident[4] != 2 || ident[5] != 1)
            throw new InvalidDataException("only ELF64 little-endian is supported");

        var header = Read(fs, 0, 64);
        long shoff = (long)BitConverter.ToUInt64(header, 0x28);
        int shentsize = BitConverter.ToUInt16(header, 0x3A);
        int shnum = BitConverter.ToUInt16(header, 0x3C);
        var sections = Read(fs, shoff, shentsize * shnum);

        for (int s = 0; s < shnum; s++)
        {
            int h = s * shentsize;
            if (BitConverter.ToUInt32(sections, h + 4) != ShtGnuVerneed) continue;
            long offset = (long)BitConverter.ToUInt64(sections, h + 0x18);
            long size = (long)BitConverter.ToUInt64(sections, h + 0x20);
            int link = (int)BitConverter.ToUInt32(sections, h + 0x28);
            int lh = link * shentsize;
            long strOffset = (long)BitConverter.ToUInt64(sections, lh + 0x18);
            long strSize = (long)BitConverter.ToUInt64(sections, lh + 0x20);
            var strtab = Read(fs, strOffset, (int)strSize);
            var verneed = Read(fs, offset, (int)size);

            int need = 0;
            while (true)
            {
                int count = BitConverter.ToUInt16(verneed, need + 2);
                int aux = need + (int)BitConverter.ToUInt32(verneed, need + 8);
                for (int i = 0; i < count; i++)
                {
                    int name = (int)BitConverter.ToUInt32(verneed, aux + 8);
                    if (CString(strtab, name) == versionName)
                    {
                        ushort flags = BitConverter.ToUInt16(verneed, aux + 4);
                        if ((flags & VerFlgWeak) != 0) return "already weak";
                        flags |= VerFlgWeak;
                        fs.Position = offset + aux + 4;
                        fs.Write(BitConverter.GetBytes(flags), 0, 2);
                        fs.Flush(true);
                        return "marked weak";
                    }
                    uint nextAux = BitConverter.ToUInt32(verneed, aux + 12);
                    if (nextAux == 0) break;
                    aux += (int)nextAux;
                }
                uint next = BitConverter.ToUInt32(verneed, need + 12);
                if (next == 0) break;
                need += (int)next;
            }
        }
        return "not needed";
    }

    private static byte[] Read(FileStream fs, long offset, int count)
    {
        var buffer = new byte[count];
        fs.Position = offset;
        int read = 0;
        while (read < count)
        {
            int n = fs.Read(buffer, read, count - read);
            if (n == 0) throw new InvalidDataException("truncated ELF file");
            read += n;
        }
        return buffer;
    }

    private static string CString(byte[] table, int start)
    {
        int end = start;
        while (end < table.Length && table[end] != 0) end++;
        return Encoding.ASCII.GetString(table, start, end - start);
    }
}
