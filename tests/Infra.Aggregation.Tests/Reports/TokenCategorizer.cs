namespace Infra.Aggregation.Tests.Reports;

/// <summary>A plain categoriser for the sample model's token rankings (the real one lives in Tokens/).</summary>
internal static class TokenCategorizer
{
    private static readonly HashSet<string> Connectors = new(StringComparer.OrdinalIgnoreCase)
    { "so", "then", "because", "wait", "but", "therefore", "thus", "first", "next", "alternatively", "let", "check", "since", "and", "which" };

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    { "def", "return", "if", "else", "elif", "for", "while", "in", "range", "print", "not", "and", "or", "True", "False", "None", "python" };

    public static string Categorize(string token)
    {
        var t = token.Trim();
        if (t.Length == 0)
            return "punctuation/syntax";
        if (t.All(char.IsDigit))
            return "number";
        if (t.All(c => "+-*/=<>%".Contains(c, StringComparison.Ordinal)))
            return "operator";
        if (Keywords.Contains(t))
            return "code keyword";
        if (Connectors.Contains(t))
            return "connector";
        if (t.All(c => char.IsPunctuation(c) || char.IsSymbol(c)))
            return "punctuation/syntax";
        return "identifier";
    }
}
