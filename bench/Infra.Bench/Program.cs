using Infra.Bench;
using Infra.Bench.Scoring;

// dotnet run -c Release --project bench/Infra.Bench -- gradients [--quick] [--only stream] [--out bench/results]
// dotnet run -c Release --project bench/Infra.Bench -- capture [--layers 4] [--reps 5] [--peer bench/peers/capture_peer.py]
// dotnet run -c Release --project bench/Infra.Bench -- long [--layers 4] [--length 8192]
// dotnet run -c Release --project bench/Infra.Bench -- scoring [--quick] [--big]
// dotnet run -c Release --project bench/Infra.Bench -- load [--quick] [--seconds 60] [--clients 32]
// dotnet run -c Release --project bench/Infra.Bench -- tokenizer [--quick]
if (args.Length > 0 && args[0] == "tokenizer")
    return Infra.Bench.Tokenizer.TokenizerBenchmark.Run(args[1..]);
// dotnet run -c Release --project bench/Infra.Bench -- ekfac-scale [--layers 2] [--storage float64|float32]
if (args.Length > 0 && args[0] == "ekfac-scale")
    return await Infra.Bench.Ekfac.EkfacScaleBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
// dotnet run -c Release --project bench/Infra.Bench -- scale [--points 0.5B:24:1024,...] [--reps 2] | scale --table [--gpus 8] [--shards 4]
if (args.Length > 0 && args[0] == "scale")
    return await Infra.Bench.Scale.ScaleBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
// dotnet run -c Release --project bench/Infra.Bench -- device-rate --device cuda [--dtype bfloat16] [--points 0.5B:24:2048:4,...]
if (args.Length > 0 && args[0] == "device-rate")
    return await Infra.Bench.Scale.DeviceRate.RunAsync(args[1..]).ConfigureAwait(false);
// dotnet run -c Release --project bench/Infra.Bench -- device-check [--layers 2] [--batch 2] [--length 256]
if (args.Length > 0 && args[0] == "device-check")
    return await Infra.Bench.Scale.DeviceCheck.RunAsync(args[1..]).ConfigureAwait(false);
if (args.Length > 0 && args[0] == "scale-point")
    return await Infra.Bench.Scale.ScalePoint.RunAsync(args[1..]).ConfigureAwait(false);
if (args.Length > 0 && args[0] == "capture")
    return await CaptureBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
if (args.Length > 0 && args[0] == "long")
    return await LongExampleBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
if (args.Length > 0 && args[0] == "load")
    return await Infra.Bench.Load.LoadBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
if (args.Length > 0 && args[0] == "scoring")
    return await ScoringBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
if (!BenchArguments.TryParse(args, out var arguments, out var error))
{
    await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
    await Console.Error.WriteLineAsync(BenchArguments.Usage).ConfigureAwait(false);
    return 2;
}
await GradientsBenchmark.RunAsync(arguments).ConfigureAwait(false);
return 0;
