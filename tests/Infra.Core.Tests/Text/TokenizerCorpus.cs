using System.Text;

namespace Infra.Core.Tests.Text;

/// <summary>
/// A deterministic corpus of varied strings for tokenizer parity: hand-picked fragments of maths
/// (LaTeX), code, whitespace runs, numbers, CJK, emoji, accents, mixed scripts, astral letters and
/// embedded special tokens, then seeded random joins of them (the joins are where pre-tokenizer
/// rules interact, e.g. an emoji right before a word).
/// </summary>
internal static class TokenizerCorpus
{
    public static readonly string[] Fragments =
    [
        // Maths and LaTeX
        @"\frac{a}{b}", "$x^{2}+y^{2}=z^{2}$", @"\sqrt{2}", @"$$\int_0^1 x\,dx = \frac{1}{2}$$",
        @"\sum_{i=1}^{n} i = \frac{n(n+1)}{2}", @"e^{i\pi}+1=0", @"\alpha\beta\gamma", "x_{n+1} = x_n - f(x_n)/f'(x_n)",
        @"\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}", @"$\lim_{x \to 0} \frac{\sin x}{x} = 1$", "2^{10} = 1024",
        @"\left( \frac{3}{4} \right)^{-1}", "∀ε>0 ∃δ>0: |x−a|<δ ⇒ |f(x)−f(a)|<ε", "∑∏∫√∞≈≠≤≥",
        // Code
        "def f(x):\n    return x * 2\n", "for (int i = 0; i < n; i++) {\n\tsum += a[i];\n}",
        "fn main() {\n    let v: Vec<u32> = (0..10).collect();\n    println!(\"{:?}\", v);\n}",
        "const add = (a, b) => a + b;\nconsole.log(`sum: ${add(1, 2)}`);",
        "SELECT id, name FROM users WHERE age >= 18 ORDER BY name DESC;",
        "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 42); return 0; }",
        "class Foo:\n\tdef __init__(self):\n\t\tself.x = None  # comment\n",
        "if x == 1:\n        pass\n    else:\n        raise ValueError('bad')", "    \t    mixed_indent = True",
        "x+=1;y-=2;z*=3", "arr[0][1] = {'k': [1, 2, 3]}", "// TODO: fix\n/* block */", "<div class=\"a\">&amp;</div>",
        // Whitespace runs
        "   ", "\t\t", "\n\n\n", "\r\n", "\r\n\r\n", "trailing   ", " \n ", "a \t b", "  leading", "\n  \n", "\t \r\n \t",
        "end.\n", " ", "\n",
        // Numbers
        "1234567890123456789", "3,000,000", "0.000001", "v1.2.3", "2024-01-31", "-42", "1e-10", "0x1F3A", "99.99%",
        "٣٤٥", "１２３", "Ⅻ",
        // CJK
        "你好，世界！", "日本語のテキストです。", "한국어 문장입니다", "中文English混合", "漢字かなカナ", "（括号）「引用」",
        // Emoji, ZWJ sequences, skin tones, flags
        "😀", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "❤️", "🇫🇷🇯🇵", "😀abc", "abc😀def", "🧑🏿‍💻 coding", "✨✨✨", "👋🏻hello",
        // Accents, including decomposed forms the NFC normalizer changes
        "café", "naïve", "Ångström", "e\u0301t\u0065\u0301", "São Paulo", "Zürich", "ñandú", "A\u030A", "Crème brûlée",
        "\u1100\u1161\u11A8",
        // Mixed scripts
        "Привет мир", "مرحبا بالعالم", "שלום עולם", "नमस्ते दुनिया", "Ελληνικά", "ภาษาไทย", "Tiếng Việt", "Hello Мир 世界",
        // Astral letters and digits (outside the BMP: a surrogate pair in UTF-16)
        "𝐀𝐁𝐂", "𝔸𝔹", "𠀀𠀁", "𝓍²", "𝟙𝟚𝟛", "a𝐀b", " 𝐀bc",
        // Unusual whitespace and invisible characters
        "a\u00A0b", "a\u3000b", "a\u2028b", "a\u0085b", "a\vb", "a\fb", "a\u200Bb", "a\u001Cb", "\u00A0\u00A0", "a\u2003 b",
        // Contractions (the split regex treats them case-insensitively)
        "I'm", "don't", "HE'LL", "it'S", "we've", "they'd", "'re", "o'clock",
        // Added tokens embedded in text
        "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<think>", "</think>", "<|im_start|>user\nhi<|im_end|>",
        "x<|endoftext|>y", "<|im_end|>\n", "<|im_start|", "<|unknown|>",
        // Plain prose
        "Hello world", "The quick brown fox jumps over the lazy dog.", "It's 5 o'clock!", "Dr. Smith, Ph.D.",
        "e-mail: a.b@example.com", "https://example.com/path?q=1&r=2", "C:\\Users\\me", "...", "!!!", "???",
    ];

    private static readonly string[] Separators = ["", " ", "  ", "\n", "\t", "\r\n", " \n", "\n\n", ", ", "   "];

    /// <summary>The fragments, then seeded random joins of 2–5 of them, <paramref name="count"/> strings in all.</summary>
    public static IReadOnlyList<string> Generate(int count = 1200, int seed = 20240531)
    {
        var random = new Random(seed);
        var corpus = new List<string>(Fragments);
        var sb = new StringBuilder();
        while (corpus.Count < count)
        {
            sb.Clear();
            var parts = random.Next(2, 6);
            for (var i = 0; i < parts; i++)
            {
                if (i > 0) sb.Append(Separators[random.Next(Separators.Length)]);
                sb.Append(random.Next(8) == 0 ? RandomNumber(random) : Fragments[random.Next(Fragments.Length)]);
            }
            corpus.Add(sb.ToString());
        }
        return corpus;
    }

    private static string RandomNumber(Random random) =>
        random.Next(3) switch
        {
            0 => random.NextInt64(0, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture),
            1 => (random.NextDouble() * 1000).ToString("F4", System.Globalization.CultureInfo.InvariantCulture),
            _ => new string(' ', random.Next(1, 9)) + random.Next(100),
        };

    /// <summary>The text with control and non-ASCII characters escaped, for failure messages.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text)
            sb.Append(c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}");
        return sb.ToString();
    }
}
