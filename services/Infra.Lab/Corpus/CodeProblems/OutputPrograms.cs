using static System.FormattableString;

namespace Infra.Lab.Corpus.CodeProblems;

/// <summary>Programs for "what does this print?", one family per difficulty level of <see cref="CodeDifficulty"/>.</summary>
internal static class OutputPrograms
{
    private static readonly string[] Words = ["lab", "data", "trace", "loop", "stack", "token", "graph", "query", "model", "index"];

    public static string Build(Random rng, int difficulty) => difficulty switch
    {
        1 => StraightLine(rng),
        2 => Branching(rng),
        3 => rng.Next(4) switch { 0 => SumOfMultiples(rng), 1 => Halving(rng), 2 => ListScan(rng), _ => ReverseString(rng) },
        4 => rng.Next(3) switch { 0 => NestedCount(rng), 1 => HelperSum(rng), _ => Table(rng) },
        _ => rng.Next(5) switch { 0 => Factorial(rng), 1 => DigitSum(rng), 2 => Power(rng), 3 => Fibonacci(rng), _ => Gcd(rng) },
    };

    private static int N(Random rng, int low, int high) => rng.Next(low, high + 1);

    private static string StraightLine(Random rng)
    {
        var names = new[] { "a", "b", "c", "d", "e" };
        var count = N(rng, 3, 5);
        var lines = new List<string> { Invariant($"a = {N(rng, 2, 30)}"), Invariant($"b = {N(rng, 2, 30)}") };
        for (var i = 2; i < count; i++)
        {
            var x = names[rng.Next(i)];
            var y = names[rng.Next(i)];
            lines.Add(rng.Next(5) switch
            {
                0 => $"{names[i]} = {x} + {y}",
                1 => Invariant($"{names[i]} = {x} * {N(rng, 2, 9)} - {y}"),
                2 => Invariant($"{names[i]} = {x} // {N(rng, 2, 7)} + {y}"),
                3 => Invariant($"{names[i]} = ({x} + {y}) % {N(rng, 2, 11)}"),
                _ => $"{names[i]} = {x} - {y}",
            });
        }
        lines.Add($"print({names[count - 1]}, {names[rng.Next(count - 1)]})");
        return string.Join('\n', lines);
    }

    private static string Branching(Random rng)
    {
        var x = N(rng, 1, 40);
        var y = N(rng, 1, 40);
        return rng.Next(2) == 0
            ? Invariant($"x = {x}\ny = {y}\nif x > y:\n    z = x - y\nelif x == y:\n    z = 0\nelse:\n    z = y - x\nprint(z)")
            : Invariant($"n = {x * y}\nif n % {N(rng, 2, 5)} == 0:\n    label = \"even\"\nelse:\n    label = \"odd\"\nprint(label, n)");
    }

    private static string SumOfMultiples(Random rng) =>
        Invariant($"total = 0\nfor i in range({N(rng, 0, 5)}, {N(rng, 8, 15)}):\n    if i % {N(rng, 2, 4)} == 0:\n        total += i\nprint(total)");

    private static string Halving(Random rng) =>
        Invariant($"n = {N(rng, 10, 200)}\ncount = 0\nwhile n > 1:\n    n = n // {N(rng, 2, 3)}\n    count += 1\nprint(count, n)");

    private static string ListScan(Random rng)
    {
        var items = string.Join(", ", Enumerable.Range(0, N(rng, 4, 6)).Select(_ => N(rng, 1, 50).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return rng.Next(2) == 0
            ? $"xs = [{items}]\nbest = xs[0]\nfor x in xs:\n    if x > best:\n        best = x\nprint(best)"
            : $"xs = [{items}]\nevens = []\nfor x in xs:\n    if x % 2 == 0:\n        evens.append(x)\nprint(evens, len(evens))";
    }

    private static string ReverseString(Random rng) =>
        $"s = \"{Words[rng.Next(Words.Length)]}{Words[rng.Next(Words.Length)]}\"\nout = \"\"\nfor ch in s:\n    out = ch + out\nprint(out)";

    private static string NestedCount(Random rng)
    {
        var modulus = N(rng, 2, 5);
        return Invariant($"count = 0\nfor i in range(1, {N(rng, 3, 6)}):\n    for j in range(i, {N(rng, 4, 7)}):\n        if (i + j) % {modulus} == {N(rng, 0, modulus - 1)}:\n            count += 1\nprint(count)");
    }

    private static string HelperSum(Random rng) =>
        Invariant($"def sq(x):\n    return x * x * {N(rng, 1, 5)} + {N(rng, 1, 20)}\n\ntotal = 0\nfor i in range({N(rng, 3, 7)}):\n    total += sq(i)\nprint(total)");

    private static string Table(Random rng) =>
        Invariant($"rows = []\nfor i in range(1, {N(rng, 3, 4)}):\n    row = []\n    for j in range(1, {N(rng, 3, 4)}):\n        row.append(i * j + {N(rng, 0, 20)})\n    rows.append(row)\nprint(rows)");

    private static string Factorial(Random rng) =>
        Invariant($"def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\n\nprint(fact({N(rng, 3, 7)}))");

    private static string DigitSum(Random rng) =>
        Invariant($"def digits(n):\n    if n < 10:\n        return n\n    return n % 10 + digits(n // 10)\n\nprint(digits({N(rng, 100, 99999)}))");

    private static string Power(Random rng) =>
        Invariant($"def power(b, e):\n    if e == 0:\n        return 1\n    return b * power(b, e - 1)\n\nprint(power({N(rng, 2, 9)}, {N(rng, 2, 5)}))");

    private static string Fibonacci(Random rng) =>
        Invariant($"def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n\nprint(fib({N(rng, 2, 5)}))");

    private static string Gcd(Random rng) =>
        Invariant($"def gcd(a, b):\n    if b == 0:\n        return a\n    return gcd(b, a % b)\n\nprint(gcd({N(rng, 10, 300)}, {N(rng, 10, 300)}))");
}
