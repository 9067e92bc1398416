using System.Globalization;

namespace Infra.Core.Text.Jinja;

/// <summary>
/// Builds the syntax tree from tokens with @huggingface/jinja's grammar and precedence (lowest first): conditional
/// expression, <c>or</c>, <c>and</c>, <c>not</c>, comparison and <c>in</c>, additive and <c>~</c>, multiplicative,
/// <c>**</c>, <c>is</c> tests, <c>|</c> filters, unary sign, calls and member access.
/// </summary>
internal sealed class JinjaParser
{
    private readonly List<JinjaToken> _tokens;
    private int _current;

    private JinjaParser(List<JinjaToken> tokens) => _tokens = tokens;

    public static IReadOnlyList<JinjaNode> Parse(List<JinjaToken> tokens)
    {
        var parser = new JinjaParser(tokens);
        var program = new List<JinjaNode>();
        while (parser._current < tokens.Count) program.Add(parser.ParseAny());
        return program;
    }

    private JinjaToken Peek => _current < _tokens.Count ? _tokens[_current] : throw new JinjaException("Unexpected end of template");

    private JinjaToken Expect(JinjaTokenKind kind, string error)
    {
        var token = Peek;
        _current++;
        if (token.Kind != kind) throw new JinjaException($"Parser Error: {error}. {token.Kind} !== {kind}.");
        return token;
    }

    private void ExpectIdentifier(string name)
    {
        if (!IsIdentifier(name)) throw new JinjaException($"Expected {name}");
        _current++;
    }

    private bool Is(JinjaTokenKind kind) => _current < _tokens.Count && _tokens[_current].Kind == kind;

    private bool IsStatement(params string[] names) =>
        _current + 1 < _tokens.Count && _tokens[_current].Kind == JinjaTokenKind.OpenStatement
        && _tokens[_current + 1].Kind == JinjaTokenKind.Identifier && names.Contains(_tokens[_current + 1].Value);

    private bool IsIdentifier(params string[] names)
    {
        if (_current + names.Length > _tokens.Count) return false;
        for (var i = 0; i < names.Length; i++)
        {
            if (_tokens[_current + i].Kind != JinjaTokenKind.Identifier || _tokens[_current + i].Value != names[i]) return false;
        }
        return true;
    }

    private JinjaNode ParseAny()
    {
        var token = Peek;
        switch (token.Kind)
        {
            case JinjaTokenKind.Comment:
                _current++;
                return new CommentNode();
            case JinjaTokenKind.Text:
                _current++;
                return new TextNode(token.Value);
            case JinjaTokenKind.OpenStatement:
                return ParseStatement();
            case JinjaTokenKind.OpenExpression:
                _current++;
                var result = ParseExpression();
                Expect(JinjaTokenKind.CloseExpression, "Expected closing expression token");
                return result;
            default:
                throw new JinjaException($"Unexpected token type: {token.Kind}");
        }
    }

    private List<JinjaNode> ParseUntil(params string[] statements)
    {
        var body = new List<JinjaNode>();
        while (!IsStatement(statements)) body.Add(ParseAny());
        return body;
    }

    private void ExpectEnd(string name)
    {
        Expect(JinjaTokenKind.OpenStatement, "Expected {% token");
        ExpectIdentifier(name);
        Expect(JinjaTokenKind.CloseStatement, "Expected %} token");
    }

    private JinjaNode ParseStatement()
    {
        Expect(JinjaTokenKind.OpenStatement, "Expected opening statement token");
        if (Peek.Kind != JinjaTokenKind.Identifier) throw new JinjaException($"Unknown statement, got {Peek.Kind}");
        var name = Peek.Value;
        _current++;
        switch (name)
        {
            case "set":
                return ParseSet();
            case "if":
            {
                var node = ParseIf();
                ExpectEnd("endif");
                return node;
            }
            case "macro":
            {
                if (ParsePrimary() is not IdentifierNode macroName) throw new JinjaException("Expected identifier following macro statement");
                var parameters = ParseArgs(parameters: true);
                Expect(JinjaTokenKind.CloseStatement, "Expected closing statement token");
                var body = ParseUntil("endmacro");
                ExpectEnd("endmacro");
                return new MacroNode(macroName.Name, parameters, body);
            }
            case "for":
            {
                var node = ParseFor();
                ExpectEnd("endfor");
                return node;
            }
            case "call":
            {
                List<JinjaNode>? callerParameters = Is(JinjaTokenKind.OpenParen) ? ParseArgs(parameters: true) : null;
                if (ParsePrimary() is not IdentifierNode callee) throw new JinjaException("Expected identifier following call statement");
                var callArgs = ParseArgs(parameters: false);
                Expect(JinjaTokenKind.CloseStatement, "Expected closing statement token");
                var body = ParseUntil("endcall");
                ExpectEnd("endcall");
                return new CallBlockNode(new CallNode(callee, callArgs), callerParameters, body);
            }
            case "break":
                Expect(JinjaTokenKind.CloseStatement, "Expected closing statement token");
                return new BreakNode();
            case "continue":
                Expect(JinjaTokenKind.CloseStatement, "Expected closing statement token");
                return new ContinueNode();
            case "filter":
            {
                var filter = ParsePrimary();
                if (filter is IdentifierNode && Is(JinjaTokenKind.OpenParen)) filter = ParseCall(filter);
                Expect(JinjaTokenKind.CloseStatement, "Expected closing statement token");
                var body = ParseUntil("endfilter");
                ExpectEnd("endfilter");
                return new FilterBlockNode(filter, body);
            }
            default:
                throw new JinjaException($"Unknown statement type: {name}");
        }
    }

    private SetNode ParseSet()
    {
        var left = ParseExpressionSequence(primary: false);
        JinjaNode? value = null;
        var body = new List<JinjaNode>();
        if (Is(JinjaTokenKind.Equals))
        {
            _current++;
            value = ParseExpressionSequence(primary: false);
        }
        else
        {
            Expect(JinjaTokenKind.CloseStatement, "Expected %} token");
            body = ParseUntil("endset");
            Expect(JinjaTokenKind.OpenStatement, "Expected {% token");
            ExpectIdentifier("endset");
        }
        Expect(JinjaTokenKind.CloseStatement, "Expected closing statement token");
        return new SetNode(left, value, body);
    }

    private IfNode ParseIf()
    {
        var test = ParseExpression();
        Expect(JinjaTokenKind.CloseStatement, "Expected closing statement token");
        var body = ParseUntil("elif", "else", "endif");
        var alternate = new List<JinjaNode>();
        if (IsStatement("elif"))
        {
            _current += 2;
            alternate.Add(ParseIf());
        }
        else if (IsStatement("else"))
        {
            _current += 2;
            Expect(JinjaTokenKind.CloseStatement, "Expected closing statement token");
            alternate = ParseUntil("endif");
        }
        return new IfNode(test, body, alternate);
    }

    private ForNode ParseFor()
    {
        var loopVar = ParseExpressionSequence(primary: true);
        if (loopVar is not (IdentifierNode or TupleNode))
            throw new JinjaException($"Expected identifier/tuple for the loop variable, got {loopVar.GetType().Name} instead");
        if (!IsIdentifier("in")) throw new JinjaException("Expected `in` keyword following loop variable");
        _current++;
        var iterable = ParseExpression();
        Expect(JinjaTokenKind.CloseStatement, "Expected closing statement token");
        var body = ParseUntil("endfor", "else");
        var alternative = new List<JinjaNode>();
        if (IsStatement("else"))
        {
            _current += 2;
            Expect(JinjaTokenKind.CloseStatement, "Expected closing statement token");
            alternative = ParseUntil("endfor");
        }
        return new ForNode(loopVar, iterable, body, alternative);
    }

    private JinjaNode ParseExpressionSequence(bool primary)
    {
        var expressions = new List<JinjaNode> { primary ? ParsePrimary() : ParseExpression() };
        var isTuple = Is(JinjaTokenKind.Comma);
        while (isTuple)
        {
            _current++;
            expressions.Add(primary ? ParsePrimary() : ParseExpression());
            if (!Is(JinjaTokenKind.Comma)) break;
        }
        return isTuple ? new TupleNode(expressions) : expressions[0];
    }

    private JinjaNode ParseExpression()
    {
        var a = ParseOr();
        if (!IsIdentifier("if")) return a;
        _current++;
        var test = ParseOr();
        if (!IsIdentifier("else")) return new SelectNode(a, test);
        _current++;
        return new TernaryNode(test, a, ParseExpression());
    }

    private JinjaNode ParseOr()
    {
        var left = ParseAnd();
        while (IsIdentifier("or"))
        {
            _current++;
            left = new BinaryNode("or", left, ParseAnd());
        }
        return left;
    }

    private JinjaNode ParseAnd()
    {
        var left = ParseNot();
        while (IsIdentifier("and"))
        {
            _current++;
            left = new BinaryNode("and", left, ParseNot());
        }
        return left;
    }

    private JinjaNode ParseNot()
    {
        UnaryNode? right = null;
        while (IsIdentifier("not"))
        {
            _current++;
            right = new UnaryNode("not", ParseNot());
        }
        return right ?? ParseComparison();
    }

    private JinjaNode ParseComparison()
    {
        var left = ParseAdditive();
        while (true)
        {
            string op;
            if (IsIdentifier("not", "in"))
            {
                op = "not in";
                _current += 2;
            }
            else if (IsIdentifier("in") || Is(JinjaTokenKind.ComparisonBinaryOperator))
            {
                op = _tokens[_current++].Value;
            }
            else
            {
                return left;
            }
            left = new BinaryNode(op, left, ParseAdditive());
        }
    }

    private JinjaNode ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Is(JinjaTokenKind.AdditiveBinaryOperator))
        {
            var op = _tokens[_current++].Value;
            left = new BinaryNode(op, left, ParseMultiplicative());
        }
        return left;
    }

    private JinjaNode ParseMultiplicative()
    {
        var left = ParsePower();
        while (Is(JinjaTokenKind.MultiplicativeBinaryOperator))
        {
            var op = _tokens[_current++].Value;
            left = new BinaryNode(op, left, ParsePower());
        }
        return left;
    }

    private JinjaNode ParsePower()
    {
        var left = ParseTest();
        while (Is(JinjaTokenKind.ExponentiationBinaryOperator))
        {
            _current++;
            left = new BinaryNode("**", left, ParseTest());
        }
        return left;
    }

    private JinjaNode ParseTest()
    {
        var operand = ParseFilter();
        while (IsIdentifier("is"))
        {
            _current++;
            var negate = IsIdentifier("not");
            if (negate) _current++;
            if (ParsePrimary() is not IdentifierNode test) throw new JinjaException("Expected identifier for the test");
            operand = new TestNode(operand, negate, test.Name);
        }
        return operand;
    }

    private JinjaNode ParseFilter()
    {
        var operand = ParseUnarySign();
        while (Is(JinjaTokenKind.Pipe))
        {
            _current++;
            var filter = ParsePrimary();
            if (filter is not IdentifierNode) throw new JinjaException("Expected identifier for the filter");
            if (Is(JinjaTokenKind.OpenParen)) filter = ParseCall(filter);
            operand = new FilterNode(operand, filter);
        }
        return operand;
    }

    private JinjaNode ParseUnarySign()
    {
        if (_current < _tokens.Count && _tokens[_current] is { Kind: JinjaTokenKind.UnaryOperator or JinjaTokenKind.AdditiveBinaryOperator, Value: "-" or "+" } token)
        {
            _current++;
            return new UnaryNode(token.Value, ParseUnarySign());
        }
        var member = ParseMember(ParsePrimary());
        return Is(JinjaTokenKind.OpenParen) ? ParseCall(member) : member;
    }

    private JinjaNode ParseCall(JinjaNode callee)
    {
        JinjaNode expression = new CallNode(callee, ParseArgs(parameters: false));
        expression = ParseMember(expression);
        return Is(JinjaTokenKind.OpenParen) ? ParseCall(expression) : expression;
    }

    private List<JinjaNode> ParseArgs(bool parameters)
    {
        Expect(JinjaTokenKind.OpenParen, "Expected opening parenthesis for arguments list");
        var args = new List<JinjaNode>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var sawKeyword = false;
        var sawSpread = false;
        while (!Is(JinjaTokenKind.CloseParen))
        {
            var keywordSpread = Is(JinjaTokenKind.ExponentiationBinaryOperator);
            var positionalSpread = Is(JinjaTokenKind.MultiplicativeBinaryOperator) && Peek.Value == "*";
            if (parameters && (keywordSpread || positionalSpread))
                throw new JinjaException("Argument unpacking is not allowed in parameter declarations");
            if (keywordSpread)
            {
                _current++;
                args.Add(new KeywordSpreadNode(ParseExpression()));
                if (Is(JinjaTokenKind.Comma)) _current++;
                if (!Is(JinjaTokenKind.CloseParen)) throw new JinjaException("Expected closing parenthesis: `**` must be applied to the final argument");
                break;
            }
            JinjaNode argument;
            if (positionalSpread)
            {
                if (sawSpread) throw new JinjaException("Only one `*` argument unpacking is allowed");
                sawSpread = true;
                _current++;
                argument = new SpreadNode(ParseExpression());
            }
            else
            {
                argument = ParseExpression();
                if (Is(JinjaTokenKind.Equals))
                {
                    _current++;
                    if (argument is not IdentifierNode key) throw new JinjaException("Expected identifier for keyword argument");
                    argument = new KeywordArgumentNode(key.Name, ParseExpression());
                }
                if (parameters)
                {
                    var name = argument switch
                    {
                        IdentifierNode id => id.Name,
                        KeywordArgumentNode kw => kw.Key,
                        _ => throw new JinjaException("Expected identifier for parameter declaration"),
                    };
                    if (!names.Add(name)) throw new JinjaException($"Duplicate parameter name: {name}");
                }
                if (argument is KeywordArgumentNode) sawKeyword = true;
                else if (sawKeyword) throw new JinjaException("Positional arguments must come before keyword arguments");
                else if (sawSpread) throw new JinjaException("Positional arguments must not follow `*` argument unpacking");
            }
            args.Add(argument);
            if (Is(JinjaTokenKind.Comma)) _current++;
        }
        Expect(JinjaTokenKind.CloseParen, "Expected closing parenthesis for arguments list");
        return args;
    }

    private JinjaNode ParseMember(JinjaNode obj)
    {
        while (Is(JinjaTokenKind.Dot) || Is(JinjaTokenKind.OpenSquareBracket))
        {
            var computed = _tokens[_current++].Kind == JinjaTokenKind.OpenSquareBracket;
            JinjaNode property;
            if (computed)
            {
                property = ParseSubscript();
                Expect(JinjaTokenKind.CloseSquareBracket, "Expected closing square bracket");
            }
            else
            {
                property = ParsePrimary();
                if (property is not (IdentifierNode or IntegerNode)) throw new JinjaException("Expected identifier or integer following dot operator");
            }
            obj = new MemberNode(obj, property, computed);
        }
        return obj;
    }

    private JinjaNode ParseSubscript()
    {
        var slices = new List<JinjaNode?>();
        var isSlice = false;
        while (!Is(JinjaTokenKind.CloseSquareBracket))
        {
            if (Is(JinjaTokenKind.Colon))
            {
                slices.Add(null);
                _current++;
                isSlice = true;
            }
            else
            {
                slices.Add(ParseExpression());
                if (Is(JinjaTokenKind.Colon))
                {
                    _current++;
                    isSlice = true;
                }
            }
        }
        if (slices.Count == 0) throw new JinjaException("Expected at least one argument for member/slice expression");
        if (!isSlice) return slices[0]!;
        if (slices.Count > 3) throw new JinjaException("Expected 0-3 arguments for slice expression");
        return new SliceNode(slices[0], slices.Count > 1 ? slices[1] : null, slices.Count > 2 ? slices[2] : null);
    }

    private JinjaNode ParsePrimary()
    {
        var token = Peek;
        _current++;
        switch (token.Kind)
        {
            case JinjaTokenKind.NumericLiteral:
                return token.Value.Contains('.', StringComparison.Ordinal)
                    ? new FloatNode(double.Parse(token.Value, CultureInfo.InvariantCulture))
                    : new IntegerNode(long.Parse(token.Value, CultureInfo.InvariantCulture));
            case JinjaTokenKind.StringLiteral:
            {
                var value = token.Value;
                while (Is(JinjaTokenKind.StringLiteral)) value += _tokens[_current++].Value;
                return new StringNode(value);
            }
            case JinjaTokenKind.Identifier:
                return new IdentifierNode(token.Value);
            case JinjaTokenKind.OpenParen:
            {
                var expression = ParseExpressionSequence(primary: false);
                Expect(JinjaTokenKind.CloseParen, "Expected closing parenthesis");
                return expression;
            }
            case JinjaTokenKind.OpenSquareBracket:
            {
                var values = new List<JinjaNode>();
                while (!Is(JinjaTokenKind.CloseSquareBracket))
                {
                    values.Add(ParseExpression());
                    if (Is(JinjaTokenKind.Comma)) _current++;
                }
                _current++;
                return new ArrayNode(values);
            }
            case JinjaTokenKind.OpenCurlyBracket:
            {
                var entries = new List<(JinjaNode, JinjaNode)>();
                while (!Is(JinjaTokenKind.CloseCurlyBracket))
                {
                    var key = ParseExpression();
                    Expect(JinjaTokenKind.Colon, "Expected colon between key and value in object literal");
                    entries.Add((key, ParseExpression()));
                    if (Is(JinjaTokenKind.Comma)) _current++;
                }
                _current++;
                return new ObjectNode(entries);
            }
            default:
                throw new JinjaException($"Unexpected token: {token.Kind}");
        }
    }
}
