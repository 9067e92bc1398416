using System.Globalization;
using System.Text;

namespace Infra.Core.Text.Jinja;

/// <summary>
/// Splits a preprocessed template into tokens exactly as @huggingface/jinja's <c>tokenize</c> does, including its
/// whitespace control (<c>{%-</c>, <c>-%}</c>, <c>{{-</c>, <c>-}}</c>, <c>{#-</c>, <c>-#}</c>) and its rule that a
/// <c>-</c> or <c>+</c> after an operator starts a signed number.
/// </summary>
internal sealed class JinjaLexer
{
    private static readonly (string Text, JinjaTokenKind Kind)[] Symbols =
    [
        ("{%", JinjaTokenKind.OpenStatement), ("%}", JinjaTokenKind.CloseStatement),
        ("{{", JinjaTokenKind.OpenExpression), ("}}", JinjaTokenKind.CloseExpression),
        ("(", JinjaTokenKind.OpenParen), (")", JinjaTokenKind.CloseParen),
        ("{", JinjaTokenKind.OpenCurlyBracket), ("}", JinjaTokenKind.CloseCurlyBracket),
        ("[", JinjaTokenKind.OpenSquareBracket), ("]", JinjaTokenKind.CloseSquareBracket),
        (",", JinjaTokenKind.Comma), (".", JinjaTokenKind.Dot), (":", JinjaTokenKind.Colon), ("|", JinjaTokenKind.Pipe),
        ("<=", JinjaTokenKind.ComparisonBinaryOperator), (">=", JinjaTokenKind.ComparisonBinaryOperator),
        ("==", JinjaTokenKind.ComparisonBinaryOperator), ("!=", JinjaTokenKind.ComparisonBinaryOperator),
        ("<", JinjaTokenKind.ComparisonBinaryOperator), (">", JinjaTokenKind.ComparisonBinaryOperator),
        ("+", JinjaTokenKind.AdditiveBinaryOperator), ("-", JinjaTokenKind.AdditiveBinaryOperator),
        ("~", JinjaTokenKind.AdditiveBinaryOperator),
        ("**", JinjaTokenKind.ExponentiationBinaryOperator), ("*", JinjaTokenKind.MultiplicativeBinaryOperator),
        ("//", JinjaTokenKind.MultiplicativeBinaryOperator), ("/", JinjaTokenKind.MultiplicativeBinaryOperator),
        ("%", JinjaTokenKind.MultiplicativeBinaryOperator), ("=", JinjaTokenKind.Equals),
    ];

    private readonly string _src;
    private readonly List<JinjaToken> _tokens = [];
    private int _pos;

    private JinjaLexer(string src) => _src = src;

    public static List<JinjaToken> Tokenize(string template)
    {
        var lexer = new JinjaLexer(JinjaPreprocessor.Apply(template));
        lexer.Run();
        return lexer._tokens;
    }

    private char At(int i) => i < _src.Length ? _src[i] : '\0';

    private bool StartsWith(string s) => string.CompareOrdinal(_src, _pos, s, 0, s.Length) == 0 && _pos + s.Length <= _src.Length;

    private JinjaTokenKind? LastKind => _tokens.Count == 0 ? null : _tokens[^1].Kind;

    private void Run()
    {
        while (_pos < _src.Length)
        {
            if (LastKind is null or JinjaTokenKind.CloseStatement or JinjaTokenKind.CloseExpression or JinjaTokenKind.Comment)
            {
                var start = _pos;
                while (_pos < _src.Length && !(_src[_pos] == '{' && At(_pos + 1) is '%' or '{' or '#'))
                    _pos++;
                if (_pos > start)
                {
                    _tokens.Add(new JinjaToken(_src[start.._pos], JinjaTokenKind.Text));
                    continue;
                }
            }
            if (StartsWith("{#"))
            {
                LexComment();
                continue;
            }
            if (StartsWith("{%-"))
            {
                StripTrailingWhitespace();
                _tokens.Add(new JinjaToken("{%", JinjaTokenKind.OpenStatement));
                _pos += 3;
                continue;
            }
            if (StartsWith("{{-"))
            {
                StripTrailingWhitespace();
                _tokens.Add(new JinjaToken("{{", JinjaTokenKind.OpenExpression));
                _curlyDepth = 0;
                _pos += 3;
                continue;
            }
            ConsumeWhile(JsText.IsWhitespace);
            if (StartsWith("-%}"))
            {
                _tokens.Add(new JinjaToken("%}", JinjaTokenKind.CloseStatement));
                _pos += 3;
                SkipLeadingWhitespace();
                continue;
            }
            if (StartsWith("-}}"))
            {
                _tokens.Add(new JinjaToken("}}", JinjaTokenKind.CloseExpression));
                _pos += 3;
                SkipLeadingWhitespace();
                continue;
            }
            if (_pos >= _src.Length) break;
            LexInsideTag(_src[_pos]);
        }
    }

    private int _curlyDepth;

    private void LexInsideTag(char c)
    {
        if ((c == '-' || c == '+') && TrySignedNumberOrUnary(c)) return;
        foreach (var (text, kind) in Symbols)
        {
            // Inside an object literal "}}" closes two dicts, not the expression.
            if (text == "}}" && _curlyDepth > 0) continue;
            if (!StartsWith(text)) continue;
            _tokens.Add(new JinjaToken(text, kind));
            if (kind == JinjaTokenKind.OpenExpression) _curlyDepth = 0;
            else if (kind == JinjaTokenKind.OpenCurlyBracket) _curlyDepth++;
            else if (kind == JinjaTokenKind.CloseCurlyBracket) _curlyDepth--;
            _pos += text.Length;
            return;
        }
        if (c is '\'' or '"')
        {
            _pos++;
            var str = ConsumeWhile(ch => ch != c);
            _tokens.Add(new JinjaToken(str, JinjaTokenKind.StringLiteral));
            _pos++;
            return;
        }
        if (JsText.IsDigit(c))
        {
            var num = ConsumeWhile(JsText.IsDigit);
            if (LastKind != JinjaTokenKind.Dot && At(_pos) == '.' && JsText.IsDigit(At(_pos + 1)))
            {
                _pos++;
                num = $"{num}.{ConsumeWhile(JsText.IsDigit)}";
            }
            _tokens.Add(new JinjaToken(num, JinjaTokenKind.NumericLiteral));
            return;
        }
        if (JsText.IsWordChar(c))
        {
            _tokens.Add(new JinjaToken(ConsumeWhile(JsText.IsWordChar), JinjaTokenKind.Identifier));
            return;
        }
        throw new JinjaException($"Unexpected character: {c}");
    }

    // After a value (identifier, literal, closing bracket) a sign is a binary operator; elsewhere it is unary and,
    // when digits follow, part of a numeric literal.
    private bool TrySignedNumberOrUnary(char sign)
    {
        switch (LastKind)
        {
            case null or JinjaTokenKind.Text:
                throw new JinjaException($"Unexpected character: {sign}");
            case JinjaTokenKind.Identifier or JinjaTokenKind.NumericLiteral or JinjaTokenKind.StringLiteral
                or JinjaTokenKind.CloseParen or JinjaTokenKind.CloseSquareBracket:
                return false;
        }
        _pos++;
        var num = ConsumeWhile(JsText.IsDigit);
        if (num.Length > 0 && At(_pos) == '.' && JsText.IsDigit(At(_pos + 1)))
        {
            _pos++;
            num = $"{num}.{ConsumeWhile(JsText.IsDigit)}";
        }
        _tokens.Add(new JinjaToken(sign + num, num.Length > 0 ? JinjaTokenKind.NumericLiteral : JinjaTokenKind.UnaryOperator));
        return true;
    }

    private void LexComment()
    {
        _pos += 2;
        var stripBefore = At(_pos) == '-';
        if (stripBefore) _pos++;
        var start = _pos;
        while (At(_pos) != '#' || At(_pos + 1) != '}')
        {
            if (_pos + 2 >= _src.Length) throw new JinjaException("Missing end of comment tag");
            _pos++;
        }
        var comment = _src[start.._pos];
        var stripAfter = comment.EndsWith('-');
        if (stripAfter) comment = comment[..^1];
        if (stripBefore) StripTrailingWhitespace();
        _tokens.Add(new JinjaToken(comment, JinjaTokenKind.Comment));
        _pos += 2;
        if (stripAfter) SkipLeadingWhitespace();
    }

    private void StripTrailingWhitespace()
    {
        if (_tokens.Count == 0 || _tokens[^1].Kind != JinjaTokenKind.Text) return;
        _tokens[^1].Value = JsText.TrimEnd(_tokens[^1].Value);
        if (_tokens[^1].Value.Length == 0) _tokens.RemoveAt(_tokens.Count - 1);
    }

    private void SkipLeadingWhitespace()
    {
        while (_pos < _src.Length && JsText.IsWhitespace(_src[_pos])) _pos++;
    }

    // The reference's consumeWhile: backslash escapes (in string literals), and an error when the input ends inside.
    private string ConsumeWhile(Func<char, bool> predicate)
    {
        var sb = new StringBuilder();
        while (_pos < _src.Length && predicate(_src[_pos]))
        {
            if (_src[_pos] == '\\')
            {
                _pos++;
                if (_pos >= _src.Length) throw new JinjaException("Unexpected end of input");
                var escaped = _src[_pos++];
                if (escaped is 'x' or 'u')
                {
                    var length = escaped == 'x' ? 2 : 4;
                    var hex = _src.Substring(_pos, Math.Min(length, _src.Length - _pos));
                    if (hex.Length != length || !int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        throw new JinjaException($"Invalid hexadecimal escape sequence: \\{escaped}{hex}");
                    sb.Append((char)code);
                    _pos += length;
                    continue;
                }
                sb.Append(escaped switch
                {
                    'n' => '\n', 't' => '\t', 'r' => '\r', 'b' => '\b', 'f' => '\f', 'v' => '\v',
                    '\'' => '\'', '"' => '"', '\\' => '\\',
                    _ => throw new JinjaException($"Unexpected escaped character: {escaped}"),
                });
                continue;
            }
            sb.Append(_src[_pos++]);
            if (_pos >= _src.Length) throw new JinjaException("Unexpected end of input");
        }
        return sb.ToString();
    }
}
