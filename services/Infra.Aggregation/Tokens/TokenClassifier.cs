using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Infra.Aggregation.Tokens;

/// <summary>
/// Puts a token's text into a <see cref="TokenCategory"/>, given whether it stands in code or in prose:
/// "if" and "in" are connectors in prose and keywords in code. Leading and trailing whitespace of
/// the token (Qwen tokens carry a word's leading space; punctuation may carry a line break) is
/// ignored unless the token is whitespace only; a word with one leading symbol ("(len") is classified
/// by its word.
/// </summary>
public static partial class TokenClassifier
{
    private static readonly FrozenSet<string> Connectors = FrozenSet.ToFrozenSet(
    [
        "therefore", "so", "because", "thus", "hence", "then", "since", "first", "firstly", "second", "secondly", "third",
        "next", "finally", "lastly", "and", "but", "or", "if", "in", "when", "while", "however", "also", "consequently",
        "accordingly", "whereas", "although", "though", "otherwise", "instead", "after", "before", "until", "unless", "as",
        "given", "now", "again", "moreover", "furthermore", "overall", "alternatively",
    ], StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> PythonWords = FrozenSet.ToFrozenSet(
    [
        // keywords
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
        "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
        "pass", "raise", "return", "try", "while", "with", "yield", "match", "case",
        // builtins
        "print", "range", "len", "int", "float", "str", "bool", "list", "dict", "set", "tuple", "abs", "min", "max", "sum",
        "sorted", "reversed", "enumerate", "zip", "map", "filter", "any", "all", "round", "pow", "divmod", "isinstance",
        "type", "input", "open", "iter", "next", "append", "extend", "pop", "insert", "remove", "keys", "values", "items",
        "join", "split", "strip", "format", "self",
    ], StringComparer.Ordinal);

    private static readonly FrozenSet<string> Operators = FrozenSet.ToFrozenSet(
    [
        "+", "-", "*", "/", "=", "<", ">", "**", "%", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "//=", "%=", "**=",
        "->", "^", "&", "|", "~", "<<", ">>", "!", "&&", "||", "\u00D7", "\u00F7", "\u2212", "\u2264", "\u2265", "\u2260", "\u00B1",
    ], StringComparer.Ordinal);

    /// <summary>True when <paramref name="token"/> is written <c>&lt;|name|&gt;</c>, as Qwen's special and added tokens are.</summary>
    public static bool IsSpecialToken(string token) => token is not null && SpecialPattern().IsMatch(token);

    /// <summary>Classifies <paramref name="token"/>.</summary>
    /// <param name="token">The token's text as it stands in the example (leading spaces and all).</param>
    /// <param name="inCode">True inside code (a code line, block header or fence), false in prose.</param>
    public static TokenCategory Classify(string token, bool inCode)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (IsSpecialToken(token))
            return TokenCategory.Special;
        var core = token.Trim();
        if (core.Length == 0)
        {
            // In code a run of two or more spaces (or a tab) without a line break is indentation:
            // the tokenizer gives a word its one leading space, so longer runs standing alone begin
            // a line; a single space stands before a digit, which never carries one.
            var indentation = !token.Contains('\n', StringComparison.Ordinal) && !token.Contains('\r', StringComparison.Ordinal)
                && (token.Length >= 2 || token.Contains('\t', StringComparison.Ordinal));
            return inCode && indentation ? TokenCategory.PunctuationSyntax : TokenCategory.Whitespace;
        }
        if (NumberPattern().IsMatch(core))
            return TokenCategory.Number;
        if (Operators.Contains(core))
            return TokenCategory.Operator;
        if (core.All(IsSymbol))
            return core.All(c => Operators.Contains(c.ToString())) ? TokenCategory.Operator : TokenCategory.PunctuationSyntax;
        // Qwen's pre-tokenizer lets one leading symbol join a word ("(len", "(xs"): the word decides.
        if (core.Length > 1 && IsSymbol(core[0]) && WordPattern().IsMatch(core.AsSpan(1)))
            core = core[1..];
        if (WordPattern().IsMatch(core))
        {
            if (inCode)
                return PythonWords.Contains(core) ? TokenCategory.CodeKeyword : TokenCategory.Identifier;
            return Connectors.Contains(core) ? TokenCategory.NaturalLanguageConnector : TokenCategory.Word;
        }
        if (!inCode && ContractionPattern().IsMatch(core))
            return TokenCategory.Word;
        return TokenCategory.Other;
    }

    private static bool IsSymbol(char c) => !char.IsLetterOrDigit(c) && !char.IsWhiteSpace(c) && c != '_';

    [GeneratedRegex(@"^<\|[^|<>\s]+\|>$")]
    private static partial Regex SpecialPattern();

    [GeneratedRegex(@"^[+\-\u2212]?(\p{Nd}+([.,]\p{Nd}+)*|[.,]\p{Nd}+)%?$")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^[\p{L}_][\p{L}\p{M}\p{Nd}_]*$")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"^'(s|t|re|ve|m|ll|d)$", RegexOptions.IgnoreCase)]
    private static partial Regex ContractionPattern();
}
