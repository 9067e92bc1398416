namespace Infra.Bench.Scale;

/// <summary>Options of <c>bench scale</c>.</summary>
/// <param name="Points">The points measured, as "shape:layers:tokens" (defaults: 0.5B with all 24 layers at 1,024 and
/// 8,192 tokens, 1.5B with 4 of its 28 layers at 2,048).</param>
/// <param name="Reps">Timed repetitions per point (no warm-up: the first rep of a long example is its steady state). Defaults to 2.</param>
/// <param name="OutputFolder">Where scale.json and scale.md go. Defaults to bench/results.</param>
internal sealed record ScaleArguments(IReadOnlyList<(string Shape, int Layers, int Tokens)> Points, int Reps, string OutputFolder)
{
    public const string Usage = "usage: Infra.Bench scale [--points 0.5B:24:1024,0.5B:24:8192,1.5B:4:2048] [--reps 2] [--out bench/results]\n" +
        "       Infra.Bench scale --table [--gpus 8] [--shards 4] [--tokens 2048]   (the cost tables of docs/scale.md)";

    public static bool TryParse(string[] args, out ScaleArguments arguments, out string? error)
    {
        arguments = new ScaleArguments([("0.5B", 24, 1024), ("0.5B", 24, 8192), ("1.5B", 4, 2048)], 2, BenchArguments.DefaultOutputFolder);
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--points" when value is not null:
                    var points = new List<(string, int, int)>();
                    foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        var fields = part.Split(':');
                        if (fields.Length != 3 || ModelShape.All.All(s => s.Name != fields[0]) || !int.TryParse(fields[1], out var layers)
                            || !int.TryParse(fields[2], out var tokens) || layers < 1 || tokens < 2)
                        {
                            error = $"--points: '{part}' is not shape:layers:tokens with a shape of 0.5B, 1.5B or 7B";
                            return false;
                        }
                        points.Add((fields[0], layers, tokens));
                    }
                    arguments = arguments with { Points = points };
                    i++;
                    break;
                case "--reps" when int.TryParse(value, out var reps) && reps >= 1:
                    arguments = arguments with { Reps = reps };
                    i++;
                    break;
                case "--out" when value is not null:
                    arguments = arguments with { OutputFolder = value };
                    i++;
                    break;
                default:
                    error = $"unknown or incomplete option '{args[i]}'";
                    return false;
            }
        }
        return true;
    }
}
