using Infra.Bench;

// dotnet run -c Release --project bench/Infra.Bench -- gradients [--quick] [--out bench/results]
if (!BenchArguments.TryParse(args, out var arguments, out var error))
{
    await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
    await Console.Error.WriteLineAsync(BenchArguments.Usage).ConfigureAwait(false);
    return 2;
}
await GradientsBenchmark.RunAsync(arguments).ConfigureAwait(false);
return 0;
