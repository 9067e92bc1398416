using System.Text.RegularExpressions;
using Infra.Corpus;
using Infra.Lab.Corpus;

namespace Infra.Lab.Tests.Corpus;

/// <summary>Reads the symbolic prompts back independently of the generator and checks the stated answer solves them.</summary>
public partial class MathPromptTests
{
    [Fact]
    public void Fraction_prompts_evaluate_to_the_answer_with_usual_precedence()
    {
        var fractions = GeneratedExamples.All.Where(e => e.Kind == "fractions").ToList();
        Assert.NotEmpty(fractions);
        foreach (var example in fractions)
        {
            var expression = FractionPrompt().Match(example.Prompt).Groups["e"].Value;
            var tokens = Token().Matches(expression).Select(m => m.Value).ToList();
            var position = 0;
            Assert.Equal(Rational.TryParse(example.Answer, out var answer) ? answer : default, Sum(tokens, ref position));
            Assert.Equal(tokens.Count, position);
        }
    }

    [Fact]
    public void Equation_answers_satisfy_the_equation()
    {
        foreach (var example in GeneratedExamples.All.Where(e => e.Kind == "equation"))
        {
            var match = Equation().Match(example.Prompt);
            Assert.True(match.Success, example.Prompt);
            Assert.True(Rational.TryParse(example.Answer, out var x));
            Rational Side(string a, string b) => (Parse(a.Length == 0 ? "0" : a) * x) + Parse(b);
            Assert.Equal(Side(match.Groups["a"].Value, match.Groups["b"].Value), Side(match.Groups["c"].Value, match.Groups["d"].Value));
        }
    }

    private static Rational Parse(string text) => Rational.TryParse(text, out var value) ? value : throw new FormatException(text);

    // sum := product (('+'|'-') product)*; product := atom ('*' atom)*; atom := fraction | '(' sum ')'
    private static Rational Sum(List<string> tokens, ref int position)
    {
        var value = Product(tokens, ref position);
        while (position < tokens.Count && tokens[position] is "+" or "-")
        {
            var op = tokens[position++];
            var right = Product(tokens, ref position);
            value = op == "+" ? value + right : value - right;
        }
        return value;
    }

    private static Rational Product(List<string> tokens, ref int position)
    {
        var value = Atom(tokens, ref position);
        while (position < tokens.Count && tokens[position] == "*")
        {
            position++;
            value *= Atom(tokens, ref position);
        }
        return value;
    }

    private static Rational Atom(List<string> tokens, ref int position)
    {
        if (tokens[position] == "(")
        {
            position++;
            var inner = Sum(tokens, ref position);
            Assert.Equal(")", tokens[position++]);
            return inner;
        }
        return Parse(tokens[position++]);
    }

    [GeneratedRegex(@"^Compute (?<e>.+)\. Give")]
    private static partial Regex FractionPrompt();

    [GeneratedRegex(@"\d+/\d+|\d+|[-+*()]")]
    private static partial Regex Token();

    [GeneratedRegex(@"^Solve for x: (?<a>\d+)x \+ (?<b>\d+(/\d+)?) = (?:(?<c>\d+)x \+ )?(?<d>-?\d+(/\d+)?)\.$")]
    private static partial Regex Equation();
}
