using Infra.Bench.Scoring;

// Subcommands dispatch to their own folder's entry point.
if (args.Length > 0 && args[0] == "scoring")
    return await ScoringBenchmark.RunAsync(args[1..]);
Console.Error.WriteLine("usage: Infra.Bench scoring [--quick] [--big]");
return 2;
