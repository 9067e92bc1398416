using System.Globalization;
using System.Text;

namespace Infra.Core.Tests.Text;

/// <summary>
/// A seeded, deterministic training corpus for <see cref="Infra.Core.Text.BpeTrainer"/>: arithmetic
/// with chain-of-thought working, word problems, Python functions with nested indentation, maths in
/// Unicode (∑, √, π, x²), a little non-Latin text and emoji, and chat turns with Qwen's special
/// tokens embedded (which training must skip).
/// </summary>
internal static class BpeTrainingCorpus
{
    private static readonly string[] Names = ["Alice", "Bob", "Chen", "Dana", "Émile", "Fatima", "Yuki"];
    private static readonly string[] Things = ["apples", "marbles", "books", "coins", "pencils", "tickets"];
    private static readonly string[] Identifiers = ["total", "count", "values", "result", "index", "items", "acc"];
    private static readonly string[] Words =
    [
        "the", "a", "of", "and", "to", "is", "we", "so", "then", "that", "this", "it", "for", "with", "by", "from",
        "number", "sum", "product", "difference", "quotient", "remainder", "digit", "carry", "borrow", "value",
        "equation", "variable", "function", "integer", "fraction", "prime", "factor", "multiple", "divisor",
        "square", "root", "power", "exponent", "triangle", "angle", "area", "perimeter", "length", "width",
        "height", "volume", "probability", "average", "median", "ratio", "percent", "total", "first", "second",
        "next", "last", "step", "answer", "check", "notice", "recall", "therefore", "because", "since", "hence",
        "compute", "simplify", "substitute", "solve", "subtract", "add", "multiply", "divide", "result", "both",
        "sides", "left", "right", "equal", "greater", "less", "than", "each", "every", "all", "none", "list",
        "array", "string", "loop", "index", "return", "call", "argument", "parameter", "class", "method",
        "object", "type", "error", "test", "case", "input", "output", "print", "range", "element", "key",
    ];

    // Pseudo-words from syllables, so the corpus has a long tail of rarer words as real text does.
    private static readonly string[] Syllables =
        ["ka", "lo", "mi", "ren", "tor", "vel", "shi", "qu", "an", "dex", "pro", "sta", "lin", "gor", "ber", "ti", "nu", "ex"];

    private static readonly string[] Unicode =
    [
        "∑_{i=1}^{n} i = n(n+1)/2", "√2 ≈ 1.41421", "π ≈ 3.14159", "x² + y² = r²", "α + β = γ", "∀x ∈ ℝ: x² ≥ 0",
        "数学很有趣。", "Ça fait 10 €.", "naïve café", "✅ correct", "🤔 let me check", "Привет, мир", "𝟙 + 𝟙 = 𝟚",
    ];

    /// <summary>Documents of about <paramref name="totalChars"/> characters in all.</summary>
    public static List<string> Generate(int totalChars, int seed = 7)
    {
        var random = new Random(seed);
        var documents = new List<string>();
        var size = 0;
        while (size < totalChars)
        {
            var document = random.Next(8) switch
            {
                0 or 1 => Arithmetic(random),
                2 => WordProblem(random),
                3 or 4 => Python(random),
                5 or 6 => Prose(random),
                _ => Chat(random),
            };
            documents.Add(document);
            size += document.Length;
        }
        return documents;
    }

    private static string Arithmetic(Random random)
    {
        var a = random.Next(10, 1000);
        var b = random.Next(10, 1000);
        var sb = new StringBuilder();
        switch (random.Next(3))
        {
            case 0:
                sb.Append(Inv($"Question: What is {a} + {b}?\nLet's think step by step. "));
                sb.Append(Inv($"The ones digits give {a % 10} + {b % 10} = {a % 10 + b % 10}. "));
                sb.Append(Inv($"Adding the rest, {a} + {b} = {a + b}.\nThe answer is {a + b}.\n"));
                break;
            case 1:
                sb.Append(Inv($"Question: Compute {a} × {b % 100}.\nFirst, {a} × {b % 100 / 10 * 10} = {a * (b % 100 / 10 * 10)}. "));
                sb.Append(Inv($"Then {a} × {b % 10} = {a * (b % 10)}. "));
                sb.Append(Inv($"So {a} × {b % 100} = {a * (b % 100)}.\nThe answer is {a * (b % 100)}.\n"));
                break;
            default:
                var (big, small) = a >= b ? (a, b) : (b, a);
                sb.Append(Inv($"Q: {big} − {small} = ?\nWe subtract: {big} - {small} = {big - small}. "));
                sb.Append(Inv($"Check: {big - small} + {small} = {big}. ✓\nThe answer is {big - small}.\n"));
                break;
        }
        if (random.Next(4) == 0)
            sb.Append(Unicode[random.Next(Unicode.Length)]).Append('\n');
        return sb.ToString();
    }

    private static string WordProblem(Random random)
    {
        var name = Names[random.Next(Names.Length)];
        var thing = Things[random.Next(Things.Length)];
        var have = random.Next(2, 50);
        var more = random.Next(2, 50);
        var groups = random.Next(2, 6);
        return Inv($"{name} has {have} {thing} and buys {more} more, then shares them equally among {groups} friends. ") +
            Inv($"How many {thing} does each friend get?\nLet's think step by step. {name} starts with {have} {thing}. ") +
            Inv($"After buying, {have} + {more} = {have + more}. Dividing by {groups}: {have + more} ÷ {groups} = {(have + more) / groups} ") +
            Inv($"with {(have + more) % groups} left over.\nThe answer is {(have + more) / groups}.\n");
    }

    private static string Prose(Random random)
    {
        var sb = new StringBuilder();
        var sentences = random.Next(2, 6);
        for (var s = 0; s < sentences; s++)
        {
            var words = random.Next(5, 16);
            for (var w = 0; w < words; w++)
            {
                var word = random.Next(4) == 0 ? PseudoWord(random) : Words[Zipf(random, Words.Length)];
                sb.Append(w == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : " " + word);
                if (w > 0 && w < words - 1 && random.Next(10) == 0)
                    sb.Append(',');
            }
            sb.Append(random.Next(6) == 0 ? Inv($" = {random.Next(1000)}. ") : ". ");
        }
        return sb.Append('\n').ToString();
    }

    // Ranks drawn with probability falling roughly as 1/rank, as word frequencies do.
    private static int Zipf(Random random, int count) => (int)Math.Min(count - 1, Math.Floor(Math.Exp(random.NextDouble() * Math.Log(count + 1)) - 1));

    private static string PseudoWord(Random random)
    {
        var sb = new StringBuilder();
        var parts = random.Next(1, 4);
        for (var i = 0; i < parts; i++)
            sb.Append(Syllables[Zipf(random, Syllables.Length)]);
        return sb.ToString();
    }

    private static string Identifier(Random random) =>
        random.Next(3) == 0 ? PseudoWord(random) + "_" + Identifiers[random.Next(Identifiers.Length)] : Identifiers[random.Next(Identifiers.Length)];

    private static string Python(Random random)
    {
        var name = Identifier(random);
        var arg = Identifier(random);
        var limit = random.Next(2, 100);
        var sb = new StringBuilder();
        sb.Append(Inv($"def compute_{name}({arg}, limit={limit}):\n"));
        sb.Append(Inv($"    \"\"\"Return the {name} of {arg} below limit.\"\"\"\n"));
        sb.Append(Inv($"    {name} = 0\n"));
        sb.Append(Inv($"    for i in range(len({arg})):\n"));
        sb.Append(Inv($"        if {arg}[i] < limit:\n"));
        sb.Append(Inv($"            {name} += {arg}[i] * {random.Next(1, 10)}\n"));
        if (random.Next(2) == 0)
            sb.Append("        else:\n            break\n");
        sb.Append(Inv($"    return {name}\n\n"));
        if (random.Next(3) == 0)
            sb.Append(Inv($"print(compute_{name}([{random.Next(100)}, {random.Next(100)}, {random.Next(100)}]))  # → {random.Next(1000)}\n"));
        return sb.ToString();
    }

    private static string Chat(Random random) =>
        "<|im_start|>user\n" + Arithmetic(random) + "<|im_end|>\n<|im_start|>assistant\n" + WordProblem(random) + "<|im_end|><|endoftext|>";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
