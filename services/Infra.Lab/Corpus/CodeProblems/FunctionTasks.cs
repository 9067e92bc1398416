using System.Globalization;
using static System.FormattableString;

namespace Infra.Lab.Corpus.CodeProblems;

/// <summary>Write-a-function tasks, one family per difficulty level of <see cref="CodeDifficulty"/>; constants are drawn so prompts differ.</summary>
internal static class FunctionTasks
{
    private const int TestCount = 5;

    public static FunctionTask Build(Random rng, int difficulty) => difficulty switch
    {
        1 => rng.Next(2) == 0 ? Linear(rng) : Quadratic(rng),
        2 => rng.Next(3) switch { 0 => Clamp(rng), 1 => Grade(rng), _ => Fizz(rng) },
        3 => rng.Next(3) switch { 0 => SumOfMultiples(rng), 1 => CountAbove(rng), _ => ProductRange(rng) },
        4 => rng.Next(3) switch { 0 => PairsDivisible(rng), 1 => TableCount(rng), _ => CountWithDivisors(rng) },
        _ => rng.Next(3) switch { 0 => Recurrence(rng), 1 => Stairs(rng), _ => PowerMod(rng) },
    };

    private static int N(Random rng, int low, int high) => rng.Next(low, high + 1);

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static List<string> Calls(Random rng, string name, Func<Random, string> args) =>
        Enumerable.Range(0, TestCount).Select(_ => $"{name}({args(rng)})").ToList();

    private static string IntList(Random rng, int low, int high) =>
        "[" + string.Join(", ", Enumerable.Range(0, N(rng, 0, 7)).Select(_ => Num(N(rng, low, high)))) + "]";

    private static FunctionTask Linear(Random rng)
    {
        var (a, b) = (N(rng, 2, 30), N(rng, 1, 99));
        return new FunctionTask("f", Invariant($"f(x) that returns {a} times x plus {b}"),
            "The function only has to evaluate the formula and return it; no branches or loops are needed.",
            Invariant($"def f(x):\n    return {a} * x + {b}"), Calls(rng, "f", r => Num(N(r, -50, 50))));
    }

    private static FunctionTask Quadratic(Random rng)
    {
        var (a, b, c) = (N(rng, 1, 9), N(rng, 1, 20), N(rng, 0, 50));
        return new FunctionTask("g", Invariant($"g(x, y) that returns {a} * x * x - {b} * y + {c}"),
            "This is a direct formula in x and y, so a single return statement is enough.",
            Invariant($"def g(x, y):\n    return {a} * x * x - {b} * y + {c}"), Calls(rng, "g", r => $"{Num(N(r, -20, 20))}, {Num(N(r, -20, 20))}"));
    }

    private static FunctionTask Clamp(Random rng)
    {
        var low = N(rng, -20, 20);
        var high = low + N(rng, 1, 40);
        return new FunctionTask("clamp", Invariant($"clamp(x) that returns x limited to the range {low} to {high}: {low} if x is below {low}, {high} if x is above {high}, otherwise x itself"),
            "Two comparisons decide the result: below the lower bound return the bound, above the upper bound return that bound, else return x.",
            Invariant($"def clamp(x):\n    if x < {low}:\n        return {low}\n    if x > {high}:\n        return {high}\n    return x"),
            Calls(rng, "clamp", r => Num(N(r, low - 30, high + 30))));
    }

    private static FunctionTask Grade(Random rng)
    {
        var top = N(rng, 60, 95);
        var middle = N(rng, 30, top - 1);
        return new FunctionTask("grade", Invariant($"grade(score) that returns 'A' when score is at least {top}, 'B' when it is at least {middle}, and 'C' otherwise"),
            "The thresholds are checked from the highest down with if/elif/else, so the first one met decides.",
            Invariant($"def grade(score):\n    if score >= {top}:\n        return 'A'\n    elif score >= {middle}:\n        return 'B'\n    else:\n        return 'C'"),
            Calls(rng, "grade", r => Num(N(r, 0, 100))));
    }

    private static FunctionTask Fizz(Random rng)
    {
        var a = N(rng, 2, 7);
        var b = N(rng, a + 1, 13);
        return new FunctionTask("fizz", Invariant($"fizz(n) that returns 'both' if n is divisible by {a} and by {b}, 'fizz' if only by {a}, 'buzz' if only by {b}, and otherwise n as a string"),
            "The combined case has to be tested first, otherwise the single-divisor cases would catch it.",
            Invariant($"def fizz(n):\n    if n % {a} == 0 and n % {b} == 0:\n        return 'both'\n    elif n % {a} == 0:\n        return 'fizz'\n    elif n % {b} == 0:\n        return 'buzz'\n    return str(n)"),
            Calls(rng, "fizz", r => Num(r.Next(3) == 0 ? a * b * N(r, 1, 3) : N(r, 1, 200))));
    }

    private static FunctionTask SumOfMultiples(Random rng)
    {
        var k = N(rng, 2, 25);
        return new FunctionTask("multiples", Invariant($"multiples(n) that returns the sum of all multiples of {k} from 0 up to but not including n"),
            Invariant($"A single loop over range(n) adds every number divisible by {k} to a running total."),
            Invariant($"def multiples(n):\n    total = 0\n    for i in range(n):\n        if i % {k} == 0:\n            total += i\n    return total"),
            Calls(rng, "multiples", r => Num(N(r, 0, 300))));
    }

    private static FunctionTask CountAbove(Random rng)
    {
        var t = N(rng, 0, 60);
        return new FunctionTask("count_above", Invariant($"count_above(xs) that returns how many numbers in the list xs are greater than {t}"),
            Invariant($"I loop over the list once and count the elements that exceed {t}."),
            Invariant($"def count_above(xs):\n    count = 0\n    for x in xs:\n        if x > {t}:\n            count += 1\n    return count"),
            Calls(rng, "count_above", r => IntList(r, 0, 100)));
    }

    private static FunctionTask ProductRange(Random rng)
    {
        var start = N(rng, 1, 6);
        return new FunctionTask("product_from", Invariant($"product_from(n) that returns the product of all integers from {start} to n inclusive (1 when n is below {start})"),
            "A loop multiplies an accumulator that starts at 1, so an empty range gives 1.",
            Invariant($"def product_from(n):\n    result = 1\n    for i in range({start}, n + 1):\n        result *= i\n    return result"),
            Calls(rng, "product_from", r => Num(N(r, 0, 15))));
    }

    private static FunctionTask PairsDivisible(Random rng)
    {
        var k = N(rng, 2, 20);
        return new FunctionTask("pairs", Invariant($"pairs(xs) that returns how many pairs of positions i < j in the list xs have xs[i] + xs[j] divisible by {k}"),
            "Two nested loops visit every pair of positions once (j starts after i), counting the pairs whose sum passes the test.",
            Invariant($"def pairs(xs):\n    count = 0\n    for i in range(len(xs)):\n        for j in range(i + 1, len(xs)):\n            if (xs[i] + xs[j]) % {k} == 0:\n                count += 1\n    return count"),
            Calls(rng, "pairs", r => IntList(r, 0, 60)));
    }

    private static FunctionTask TableCount(Random rng)
    {
        // k stays at most 12 so that it divides some product of the tested tables; a k with a
        // prime factor above the table size would make every answer 0 and the tests toothless.
        var k = N(rng, 2, 12);
        return new FunctionTask("table", Invariant($"table(n, m) that returns how many products i * j with 1 <= i <= n and 1 <= j <= m are divisible by {k}"),
            "Nested loops walk the n by m multiplication table and count the entries that pass the divisibility test.",
            Invariant($"def table(n, m):\n    count = 0\n    for i in range(1, n + 1):\n        for j in range(1, m + 1):\n            if i * j % {k} == 0:\n                count += 1\n    return count"),
            Calls(rng, "table", r => $"{Num(N(r, 1, 15))}, {Num(N(r, 0, 15))}"));
    }

    private static FunctionTask CountWithDivisors(Random rng)
    {
        var d = N(rng, 2, 6);
        var start = N(rng, 1, 20);
        return new FunctionTask("with_divisors", Invariant($"with_divisors(n) that returns how many integers from {start} to n inclusive have exactly {d} positive divisors"),
            "For each candidate an inner loop counts its divisors; the outer loop counts the candidates with the required number.",
            Invariant($"def with_divisors(n):\n    count = 0\n    for x in range({start}, n + 1):\n        divisors = 0\n        for y in range(1, x + 1):\n            if x % y == 0:\n                divisors += 1\n        if divisors == {d}:\n            count += 1\n    return count"),
            Calls(rng, "with_divisors", r => Num(N(r, 0, 60))));
    }

    private static FunctionTask Recurrence(Random rng)
    {
        var (a, b, c) = (N(rng, 1, 5), N(rng, -9, 9), N(rng, 0, 20));
        var sign = b < 0 ? "-" : "+";
        return new FunctionTask("seq", Invariant($"a recursive function seq(n) where seq(0) = {c} and seq(n) = {a} * seq(n - 1) {sign} {Math.Abs(b)} for n > 0"),
            "The base case n == 0 returns the start value; every other call reduces n by one and applies the rule to the result.",
            Invariant($"def seq(n):\n    if n == 0:\n        return {c}\n    return {a} * seq(n - 1) {sign} {Math.Abs(b)}"),
            Calls(rng, "seq", r => Num(N(r, 0, 12))));
    }

    private static FunctionTask Stairs(Random rng)
    {
        var k = N(rng, 2, 6);
        return new FunctionTask("ways", Invariant($"a recursive function ways(n) that returns the number of ways to climb n stairs taking either 1 or {k} stairs at a time"),
            Invariant($"The last move is either 1 stair or {k} stairs, so ways(n) = ways(n - 1) + ways(n - {k}); overshooting (n < 0) gives 0 and n == 0 gives 1."),
            Invariant($"def ways(n):\n    if n < 0:\n        return 0\n    if n == 0:\n        return 1\n    return ways(n - 1) + ways(n - {k})"),
            Calls(rng, "ways", r => Num(N(r, 0, 14))));
    }

    private static FunctionTask PowerMod(Random rng)
    {
        var m = N(rng, 2, 997);
        return new FunctionTask("power_mod", Invariant($"a recursive function power_mod(b, e) that returns b to the power e, modulo {m}, for e >= 0"),
            Invariant($"b^e = b * b^(e-1), and reducing modulo {m} at every level keeps the numbers small; e == 0 gives 1 % {m}."),
            Invariant($"def power_mod(b, e):\n    if e == 0:\n        return 1 % {m}\n    return b * power_mod(b, e - 1) % {m}"),
            Calls(rng, "power_mod", r => $"{Num(N(r, 0, 50))}, {Num(N(r, 0, 20))}"));
    }
}
