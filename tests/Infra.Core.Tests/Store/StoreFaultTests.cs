using Infra.Core.Errors;
using Infra.Core.Preconditioning;
using Infra.Core.Scoring;
using Infra.Core.Store;

namespace Infra.Core.Tests.Store;

/// <summary>
/// Every write step of ingest, fit and query registration, failed with a full disk and with an I/O error:
/// the call fails with the right kind, the live store equals its folder reopened, no file is left that the
/// store does not name, and sending the same work again (no restart) completes it exactly once.
/// </summary>
public sealed class StoreFaultTests : IDisposable
{
    // Two shards of (tensors, metadata, manifest) x (write, fsync, rename).
    private const int IngestSteps = 18;
    // (Tensor file, then manifest or .json) x (write, fsync, rename).
    private const int SaveSteps = 6;
    private readonly string _root = StoreFixtures.TempFolder();
    private readonly WriteFaults _faults = new();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static TheoryData<int, bool> Ingest() => Cases(IngestSteps);

    public static TheoryData<int, bool> Save() => Cases(SaveSteps);

    [Fact]
    public void The_cases_cover_every_write_step()
    {
        using var store = Open();
        _faults.Armed = true;
        Ingest(store, Examples());
        Assert.Equal(IngestSteps, _faults.Steps.Count);
        _faults.Steps.Clear();
        PreconditionerRepository.Save(store, PreconditionerFitter.Fit(store.Snapshot, "diag", PreconditionerKind.Diagonal), overwrite: false);
        Assert.Equal([StoreWriteStep.Preconditioner, StoreWriteStep.Fsync, StoreWriteStep.Rename, StoreWriteStep.Manifest, StoreWriteStep.Fsync, StoreWriteStep.Rename],
            _faults.Steps.Select(s => s.Step));
        _faults.Steps.Clear();
        QuerySetRepository.Save(store, QuerySet("held-out", 1));
        Assert.Equal([StoreWriteStep.QuerySetTensors, StoreWriteStep.Fsync, StoreWriteStep.Rename, StoreWriteStep.QuerySetDescription, StoreWriteStep.Fsync, StoreWriteStep.Rename],
            _faults.Steps.Select(s => s.Step));
    }

    [Theory]
    [MemberData(nameof(Ingest))]
    public void A_failed_ingest_stores_nothing_of_the_failed_shard_and_a_resend_completes_it(int failAt, bool diskFull)
    {
        using var store = Open();
        var examples = Examples();
        Arm(failAt, diskFull);
        var error = Record.Exception(() => Ingest(store, examples));
        _faults.Armed = false;

        AssertFailure(error, diskFull, store);
        // The first shard's nine steps decide whether it committed; the second shard never did.
        Assert.Equal(failAt < IngestSteps / 2 ? 0 : 4, store.Count);
        DiskAgreement.AssertSame(store);
        DiskAgreement.AssertNoStrayFiles(store);

        var outcomes = Ingest(store, examples);
        Assert.Equal(failAt < IngestSteps / 2 ? 6 : 2, outcomes.Count(o => o == IngestOutcome.Stored));
        Assert.Equal(examples.Select(e => e.Id).Order(), store.Shards.SelectMany(s => s.Metadata.Ids).Order());
        DiskAgreement.AssertSame(store);
        DiskAgreement.AssertNoStrayFiles(store);
    }

    [Theory]
    [MemberData(nameof(Save))]
    public void A_failed_refit_keeps_the_previous_preconditioner_and_a_retry_replaces_it(int failAt, bool diskFull)
    {
        using var store = Open();
        Ingest(store, Examples());
        PreconditionerRepository.Save(store, PreconditionerFitter.Fit(store.Snapshot, "p", PreconditionerKind.Identity), overwrite: false);
        var refit = PreconditionerFitter.Fit(store.Snapshot, "p", PreconditionerKind.Diagonal);
        Arm(failAt, diskFull);
        var error = Record.Exception(() => PreconditionerRepository.Save(store, refit, overwrite: true));
        _faults.Armed = false;

        AssertFailure(error, diskFull, store);
        Assert.Equal(PreconditionerKind.Identity, store.Manifest.Preconditioners["p"].Kind);
        Assert.Equal(PreconditionerKind.Identity, PreconditionerRepository.Load(store, "p").Kind);
        DiskAgreement.AssertSame(store);
        DiskAgreement.AssertNoStrayFiles(store);

        PreconditionerRepository.Save(store, refit, overwrite: true);
        Assert.Equal(PreconditionerKind.Diagonal, PreconditionerRepository.Load(store, "p").Kind);
        DiskAgreement.AssertSame(store);
        DiskAgreement.AssertNoStrayFiles(store);
    }

    [Theory]
    [MemberData(nameof(Save))]
    public void A_failed_registration_keeps_the_registered_sets_and_a_retry_registers(int failAt, bool diskFull)
    {
        using var store = Open();
        Ingest(store, Examples());
        QuerySetRepository.Save(store, QuerySet("held-out", 1));
        Arm(failAt, diskFull);
        var error = Record.Exception(() =>
        {
            QuerySetRepository.Save(store, QuerySet("held-out", 2)); // replacing
        });
        _faults.Armed = false;
        AssertFailure(error, diskFull, store);
        Assert.Equal(["q1-0", "q1-1"], QuerySetRepository.Load(store, "held-out").Queries.Select(q => q.Id));
        DiskAgreement.AssertSame(store);
        DiskAgreement.AssertNoStrayFiles(store);

        Arm(failAt, diskFull);
        error = Record.Exception(() => QuerySetRepository.Save(store, QuerySet("fresh", 3))); // a new name
        _faults.Armed = false;
        AssertFailure(error, diskFull, store);
        Assert.Equal(["held-out"], store.QuerySets);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<DomainException>(() => QuerySetRepository.Describe(store, "fresh")).Kind);
        DiskAgreement.AssertSame(store);
        DiskAgreement.AssertNoStrayFiles(store);

        QuerySetRepository.Save(store, QuerySet("held-out", 2));
        QuerySetRepository.Save(store, QuerySet("fresh", 3));
        Assert.Equal(["q2-0", "q2-1"], QuerySetRepository.Load(store, "held-out").Queries.Select(q => q.Id));
        Assert.Equal(["fresh", "held-out"], store.QuerySets);
        DiskAgreement.AssertSame(store);
        DiskAgreement.AssertNoStrayFiles(store);
    }

    private static TheoryData<int, bool> Cases(int steps)
    {
        var data = new TheoryData<int, bool>();
        for (var i = 0; i < steps; i++)
        {
            data.Add(i, true);
            data.Add(i, false);
        }
        return data;
    }

    private GradientStore Open() => GradientStore.OpenOrCreate(Path.Combine(_root, "store"), StoreFixtures.Schema(),
        new GradientStoreOptions { ShardExamples = 4, BeforeWrite = _faults.Hook });

    private void Arm(int failAt, bool diskFull)
    {
        _faults.Steps.Clear();
        _faults.FailAt = failAt;
        _faults.DiskFull = diskFull;
        _faults.Armed = true;
    }

    private static List<StoreExample> Examples() => Enumerable.Range(0, 6).Select(i => StoreFixtures.Example($"e{i}", i)).ToList();

    private static List<IngestOutcome> Ingest(GradientStore store, IEnumerable<StoreExample> examples)
    {
        using var session = store.BeginIngest();
        var outcomes = examples.Select(session.Add).ToList();
        session.Flush();
        return outcomes;
    }

    private static QuerySet QuerySet(string name, int version) =>
        new(name, [.. Enumerable.Range(0, 2).Select(i => new Query($"q{version}-{i}", "math", -0.5f, false, StoreFixtures.Example($"q{version}-{i}", 100 * version + i).ExampleGradients))]);

    private static void AssertFailure(Exception? error, bool diskFull, GradientStore store)
    {
        Assert.NotNull(error);
        if (diskFull)
        {
            var exhausted = Assert.IsType<StoreException>(error);
            Assert.Equal(StoreErrorKind.ResourceExhausted, exhausted.Kind);
            Assert.Contains($"store {store.Path}", exhausted.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(".tmp-", exhausted.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.IsType<IOException>(error);
        }
    }
}
