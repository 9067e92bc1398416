using System.Text;

namespace Infra.Core.Tests.Text;

/// <summary>
/// Seeded strings built to break a tokenizer where it departs from HF's: every added token followed or preceded by a
/// combining mark, near-misses of added tokens, newer combining marks and letters next to old ones, NFC/NFD pairs,
/// noncharacters and control characters, long whitespace runs, and random code points from every plane (unpaired
/// surrogates excluded: they cannot reach HF, whose strings are UTF-8). Deterministic: the same seed gives the same list.
/// </summary>
internal static class AdversarialTokenizerCorpus
{
    // Combining marks HF's tables know and ones they do not (U+1AC0, U+1DF6, U+0898), plus the ones NFC composes.
    private static readonly string[] Marks = ["\u0301", "\u0338", "\u0300", "\u0316", "\u0345", "\u20D2", "\u1AC0", "\u1DF6", "\u0898", "\u302A", "\u0F71"];

    private static readonly string[] NearMisses =
    [
        "<|im_end|", "<|im_end|>>", "<<|im_start|>", "<|im_start|>|", "<|IM_END|>", "< |im_end|>", "<|im_end |>", "<|endoftext|",
        "<think", "</think", "<think>>", "<|im_start|><|im_end|>", "<|im_end|><|im_end|>", "<|vision_start|>", "<|fim_prefix|>",
        "<tool_call>", "</tool_call>", "<|box_end|>", "<|quad_start|>",
    ];

    private static readonly string[] Code =
    [
        "fn main(){let x=vec![1,2,3];println!(\"{:?}\",x.iter().map(|v|v*2).collect::<Vec<_>>());}",
        "public static int F(int[] a)=>a.Where(x=>x%2==0).Sum();//C#",
        "#include<vector>\nint main(){std::vector<int>v{1,2};for(auto&x:v)x<<=1;return v[0];}",
        "func f(xs []int) (s int) {\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn\n}",
        "const f=async(a)=>{await Promise.all(a.map(async x=>x*2));return a?.length??0};",
        "def f(x: list[int]) -> int:\n    return sum(y ** 2 for y in x if y % 3 == 0)  # 😀",
        "\\begin{align} f(x) &= \\sum_{k=0}^{\\infty} \\frac{x^k}{k!} \\\\ &= e^x \\end{align}",
    ];

    /// <summary><paramref name="count"/> strings: the structured cases first, then seeded random mixtures.</summary>
    public static IReadOnlyList<string> Generate(IReadOnlyList<string> addedTokens, int count = 3000, int seed = 20261203)
    {
        var corpus = new List<string>();
        foreach (var token in addedTokens)
            foreach (var mark in Marks)
            {
                corpus.Add(token + mark);
                corpus.Add(mark + token);
                corpus.Add("x" + token + mark + "y");
            }
        corpus.AddRange(NearMisses);
        corpus.AddRange(Code);
        corpus.AddRange(["\uFFFE", "a\uFFFEb", "\uFFFF\uFFFE", "\uFDD0\uFDEF", "\U0001FFFE", "\U0010FFFF", "\0", "\u0007\u001B[31mred\u001B[0m",
            new string(' ', 300), new string('\n', 100), " \t\r\n\u00A0\u3000" + new string('\t', 50), "\u1100\u1161\u11A8\u1100\u1161",
            "e\u0301\u0323", "e\u0323\u0301", "a\u1AC0\u0301", "a\u0301\u1AC0", "\u0915\u093C", "\u0958", "\U00011935\U00011930", "\U00011938"]);
        var random = new Random(seed);
        var sb = new StringBuilder();
        while (corpus.Count < count)
        {
            sb.Clear();
            var parts = random.Next(1, 8);
            for (var i = 0; i < parts; i++)
            {
                switch (random.Next(8))
                {
                    case 0: sb.Append(addedTokens[random.Next(addedTokens.Count)]); break;
                    case 1: sb.Append(Marks[random.Next(Marks.Length)]); break;
                    case 2: sb.Append(NearMisses[random.Next(NearMisses.Length)]); break;
                    case 3: sb.Append(Code[random.Next(Code.Length)], 0, random.Next(1, 40)); break;
                    case 4: sb.Append(' ', random.Next(1, 20)); break;
                    case 5: sb.Append(TokenizerCorpus.Fragments[random.Next(TokenizerCorpus.Fragments.Length)]); break;
                    default: AppendRandomCodePoints(sb, random, random.Next(1, 12)); break;
                }
            }
            corpus.Add(sb.ToString());
        }
        return corpus;
    }

    // Code points from every plane, weighted towards the BMP; surrogates are skipped.
    private static void AppendRandomCodePoints(StringBuilder sb, Random random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var cp = random.Next(4) switch
            {
                0 => random.Next(0x20, 0x250),
                1 => random.Next(0x250, 0x10000),
                2 => random.Next(0x10000, 0x20000),
                _ => random.Next(0x20000, 0x110000),
            };
            if (cp is >= 0xD800 and <= 0xDFFF) cp = 0xFFFD;
            sb.Append(char.ConvertFromUtf32(cp));
        }
    }
}
