namespace Infra.Lab.Corpus.MathProblems;

/// <summary>"Maya buys 3 notebooks at $4 each and 2 pens at $3 each; she pays with $50 ..."</summary>
internal static class ShoppingProblems
{
    public const int MinSteps = 1;
    public const int MaxSteps = 6;

    private static readonly string[] Items =
    [
        "notebooks", "pens", "apples", "tickets", "mugs", "books", "plants", "candles", "batteries", "scarves", "puzzles", "lamps",
    ];

    private static readonly long[] Bills = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000];

    public static MathDraft Draft(Random rng, int stepCount, long limit)
    {
        // n products, n - 1 sums, and one more step when the question asks for change.
        var itemCount = (stepCount + 1) / 2;
        var askChange = stepCount % 2 == 0;
        var name = MathText.Names[rng.Next(MathText.Names.Length)];
        var items = Items.OrderBy(_ => rng.Next()).Take(itemCount).ToList();
        var steps = new List<MathStep>();
        var descriptions = new List<string>();
        var costs = new List<Rational>();
        foreach (var item in items)
        {
            var quantity = MathText.Between(rng, 2, 9);
            var price = MathText.Between(rng, 1, System.Math.Max(2, limit / 6));
            descriptions.Add($"{MathText.Int(quantity)} {item} at ${MathText.Int(price)} each");
            var step = MathStep.Of($"The {item} cost", quantity, '*', price);
            steps.Add(step);
            costs.Add(step.Result);
        }
        var total = costs[0];
        for (var i = 1; i < costs.Count; i++)
        {
            var step = MathStep.Of(i == costs.Count - 1 ? "Altogether that is" : "So far that is", total, '+', costs[i]);
            steps.Add(step);
            total = step.Result;
        }
        var bought = descriptions.Count == 1 ? descriptions[0] : string.Join(", ", descriptions.Take(descriptions.Count - 1)) + " and " + descriptions[^1];
        if (!askChange)
        {
            return new MathDraft("shopping", $"{name} buys {bought}. How many dollars does {name} spend in total?",
                "I will find the cost of each kind of item and add them up.", steps, total, []);
        }
        var bill = Bills.First(b => b > total.Numerator);
        var change = MathStep.Of("The change is", bill, '-', total);
        steps.Add(change);
        string? alternative = null;
        if (costs.Count > 1)
        {
            var remaining = new Rational(bill);
            var parts = new List<string>();
            foreach (var cost in costs)
            {
                parts.Add($"{MathText.Format(remaining)} - {MathText.Format(cost)} = {MathText.Format(remaining - cost)}");
                remaining -= cost;
            }
            alternative = $"Alternatively, take each cost out of the bill in turn: {string.Join(", then ", parts)}. The same change.";
        }
        return new MathDraft("shopping", $"{name} buys {bought}, and pays with a ${MathText.Int(bill)} bill. How many dollars of change does {name} get?",
            "I will find the cost of each kind of item, add them up, and subtract from the bill.", steps, change.Result, [bill], alternative);
    }
}
