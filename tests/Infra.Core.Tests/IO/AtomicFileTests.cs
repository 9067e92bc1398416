using Infra.Core.IO;
using Infra.Core.Store;

namespace Infra.Core.Tests.IO;

/// <summary>The one atomic write: complete new content or the old, never a torn file, and nothing left behind by a failure.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("infra-atomic-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_write_replaces_the_content_whole_and_leaves_only_the_file()
    {
        var path = Path.Combine(_root, "a.json");
        AtomicFile.WriteText(path, "old");
        AtomicFile.WriteText(path, "new ü");
        Assert.Equal("new ü", File.ReadAllText(path));
        Assert.Equal(["a.json"], Directory.GetFiles(_root).Select(Path.GetFileName));
        // UTF-8 without a byte-order mark: other tools read the files too.
        Assert.Equal((byte)'n', File.ReadAllBytes(path)[0]);
    }

    [Fact]
    public void A_failing_write_keeps_the_old_content_and_removes_its_temp_file()
    {
        var path = Path.Combine(_root, "a.json");
        AtomicFile.WriteText(path, "old");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half"u8);
            throw new IOException("No space left on device");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["a.json"], Directory.GetFiles(_root).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(StoreWriteStep.Fsync)]
    [InlineData(StoreWriteStep.Rename)]
    public void A_failure_at_the_fsync_or_the_rename_keeps_the_old_content(StoreWriteStep failAt)
    {
        var path = Path.Combine(_root, "a.json");
        AtomicFile.WriteText(path, "old");
        StoreWriteHook hook = (step, _) => { if (step == failAt) throw new IOException($"injected at {step}"); };
        Assert.Throws<IOException>(() => AtomicFile.WriteText(path, "new", hook));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["a.json"], Directory.GetFiles(_root).Select(Path.GetFileName));
    }

    [Fact]
    public void A_missing_folder_is_created_only_when_asked()
    {
        var path = Path.Combine(_root, "run", "nested", "results.json");
        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteText(path, "{}"));
        AtomicFile.WriteText(path, "{}", createFolder: true);
        Assert.Equal("{}", File.ReadAllText(path));
    }
}
