namespace Infra.Lab.Corpus.MathProblems;

/// <summary>"A cyclist rides at 12 km/h for 3 hours, then at 15 km/h for 2 hours ..." — distance = speed * time.</summary>
internal static class RateProblems
{
    public const int MinSteps = 1;
    public const int MaxSteps = 6;

    // Travellers by top speed, so that a hiker never does 600 km/h.
    private static readonly (long MaxSpeed, string[] Names)[] Travellers =
    [
        (8, ["A hiker", "A walker", "A rower"]),
        (40, ["A cyclist", "A runner", "A ferry", "A horse rider"]),
        (160, ["A car", "A bus", "A train", "A truck", "A drone"]),
        (long.MaxValue, ["A plane", "A jet", "A high-speed train"]),
    ];

    public static MathDraft Draft(Random rng, int stepCount, long limit)
    {
        // n products and n - 1 sums; an even step count adds "how far is left of the trip".
        var segments = (stepCount + 1) / 2;
        var askRemaining = stepCount % 2 == 0;
        var speeds = new List<long>();
        var hours = new List<long>();
        var steps = new List<MathStep>();
        var distances = new List<Rational>();
        for (var i = 0; i < segments; i++)
        {
            speeds.Add(MathText.Between(rng, 2, System.Math.Max(3, limit / 5)));
            hours.Add(MathText.Between(rng, 1, 6));
            var step = MathStep.Of($"Part {MathText.Int(i + 1)} covers", speeds[i], '*', hours[i], tail: " km");
            steps.Add(step);
            distances.Add(step.Result);
        }
        var total = distances[0];
        for (var i = 1; i < distances.Count; i++)
        {
            var step = MathStep.Of(i == distances.Count - 1 ? "In total that is" : "So far that is", total, '+', distances[i], tail: " km");
            steps.Add(step);
            total = step.Result;
        }
        var names = Travellers.First(t => t.MaxSpeed >= speeds.Max()).Names;
        var traveller = names[rng.Next(names.Length)];
        var legs = string.Join(", then ", speeds.Select((s, i) => $"at {MathText.Int(s)} km/h for {MathText.Int(hours[i])} hour{(hours[i] == 1 ? "" : "s")}"));
        var alternative = segments > 1 ? Alternative(speeds, hours, total) : null;
        if (!askRemaining)
        {
            return new MathDraft("rates", $"{traveller} travels {legs}. How many kilometres does it travel in total?",
                "Distance is speed times time, so I will compute each part and add them.", steps, total, [], alternative);
        }
        var trip = total.Numerator + MathText.Between(rng, 1, limit);
        var left = MathStep.Of("The distance still to go is", trip, '-', total, tail: " km");
        steps.Add(left);
        return new MathDraft("rates", $"{traveller} is on a {MathText.Int(trip)} km trip. It travels {legs}. How many kilometres of the trip are left?",
            "Distance is speed times time, so I will compute each part, add them, and subtract from the trip.", steps, left.Result, [trip],
            alternative is null ? null : alternative + $" Then {MathText.Int(trip)} - {MathText.Format(total)} = {MathText.Format(left.Result)} km are left.");
    }

    /// <summary>All the time at the first speed, then a correction per later part for its speed difference.</summary>
    private static string Alternative(List<long> speeds, List<long> hours, Rational total)
    {
        var allHours = hours.Sum();
        var baseline = new Rational(speeds[0] * allHours);
        var corrections = new List<Rational> { baseline };
        var parts = new List<string>();
        for (var i = 1; i < speeds.Count; i++)
        {
            var correction = new Rational((speeds[i] - speeds[0]) * hours[i]);
            corrections.Add(correction);
            parts.Add($"({MathText.Int(speeds[i])} - {MathText.Int(speeds[0])}) * {MathText.Int(hours[i])} = {MathText.Format(correction)}");
        }
        return $"Alternatively, pretend all {MathText.Int(allHours)} hours were at {MathText.Int(speeds[0])} km/h: {MathText.Int(speeds[0])} * {MathText.Int(allHours)} = {MathText.Format(baseline)} km. " +
            $"Then correct each later part by its speed difference: {string.Join("; ", parts)}. So {MathText.SignedSum(corrections)} = {MathText.Format(total)} km, the same total.";
    }
}
