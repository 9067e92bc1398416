// The domain meters are matched by name across every host in the process: tests that count their
// values run one at a time so another test's host cannot add to them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
