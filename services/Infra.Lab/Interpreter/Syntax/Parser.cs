using System.Globalization;

namespace Infra.Lab.Interpreter.Syntax;

/// <summary>
/// Recursive-descent parser for the subset, with Python's precedence:
/// or &lt; and &lt; not &lt; comparisons &lt; + - &lt; * // % / &lt; unary - &lt; ** &lt; call/index.
/// </summary>
internal sealed class Parser
{
    private static readonly HashSet<string> CompareOps = ["==", "!=", "<", "<=", ">", ">="];
    private static readonly HashSet<string> AugmentedOps = ["+=", "-=", "*=", "//=", "%="];

    private readonly List<Token> _tokens;
    private int _pos;

    private Parser(List<Token> tokens) => _tokens = tokens;

    public static IReadOnlyList<Stmt> ParseProgram(string source)
    {
        var parser = new Parser(Lexer.Tokenize(source));
        var body = new List<Stmt>();
        while (parser.Peek.Kind != TokenKind.End)
        {
            if (parser.Peek.Kind == TokenKind.Indent)
            {
                throw parser.Error("unexpected indent");
            }
            body.Add(parser.Statement());
        }
        return body;
    }

    private Token Peek => _tokens[_pos];

    private Token Next() => _tokens[_pos++];

    private PythonException Error(string detail) => new(PythonErrorKind.SyntaxError, Peek.Line, detail);

    private static string Describe(Token token) => token.Kind switch
    {
        TokenKind.Newline => "end of line",
        TokenKind.Indent => "indent",
        TokenKind.Dedent => "dedent",
        TokenKind.End => "end of input",
        _ => $"'{token.Text}'",
    };

    private bool Accept(TokenKind kind, string text)
    {
        if (!Peek.Is(kind, text))
        {
            return false;
        }
        _pos++;
        return true;
    }

    private void Expect(TokenKind kind, string text)
    {
        if (!Accept(kind, text))
        {
            throw Error($"expected '{text}' but found {Describe(Peek)}");
        }
    }

    private void ExpectNewline()
    {
        if (Peek.Kind != TokenKind.Newline)
        {
            throw Error($"expected end of line but found {Describe(Peek)}");
        }
        _pos++;
    }

    private string ExpectName()
    {
        if (Peek.Kind != TokenKind.Name)
        {
            throw Error($"expected a name but found {Describe(Peek)}");
        }
        return Next().Text;
    }

    private List<Stmt> Block()
    {
        Expect(TokenKind.Operator, ":");
        ExpectNewline();
        if (Peek.Kind != TokenKind.Indent)
        {
            throw Error("expected an indented block");
        }
        _pos++;
        var body = new List<Stmt>();
        while (Peek.Kind != TokenKind.Dedent && Peek.Kind != TokenKind.End)
        {
            body.Add(Statement());
        }
        Accept(TokenKind.Dedent, "");
        return body;
    }

    private Stmt Statement()
    {
        var token = Peek;
        if (token.Kind == TokenKind.Keyword)
        {
            switch (token.Text)
            {
                case "if":
                    return If();
                case "for":
                    _pos++;
                    var variable = ExpectName();
                    Expect(TokenKind.Keyword, "in");
                    var iterable = Expression();
                    return new ForStmt(variable, iterable, Block(), token.Line);
                case "while":
                    _pos++;
                    var condition = Expression();
                    return new WhileStmt(condition, Block(), token.Line);
                case "def":
                    return Def();
                case "return":
                    _pos++;
                    var value = Peek.Kind == TokenKind.Newline ? null : Expression();
                    ExpectNewline();
                    return new ReturnStmt(value, token.Line);
                case "pass" or "break" or "continue":
                    _pos++;
                    ExpectNewline();
                    return new KeywordStmt(token.Text, token.Line);
                case "elif" or "else":
                    throw Error($"'{token.Text}' without a matching 'if'");
                default:
                    break;
            }
        }
        var target = Expression();
        if (Peek.Kind == TokenKind.Operator && (Peek.Text == "=" || AugmentedOps.Contains(Peek.Text)))
        {
            var op = Next().Text;
            if (target is not (NameExpr or IndexExpr))
            {
                throw new PythonException(PythonErrorKind.SyntaxError, token.Line, "cannot assign to this expression");
            }
            var value = Expression();
            ExpectNewline();
            return new AssignStmt(target, op == "=" ? null : op[..^1], value, token.Line);
        }
        ExpectNewline();
        return new ExprStmt(target, token.Line);
    }

    private IfStmt If()
    {
        var line = Next().Line;
        var branches = new List<IfBranch>();
        var conditionLine = line;
        var condition = Expression();
        branches.Add(new IfBranch(condition, Block(), conditionLine));
        while (Peek.Is(TokenKind.Keyword, "elif"))
        {
            conditionLine = Next().Line;
            condition = Expression();
            branches.Add(new IfBranch(condition, Block(), conditionLine));
        }
        var otherwise = Accept(TokenKind.Keyword, "else") ? Block() : [];
        return new IfStmt(branches, otherwise, line);
    }

    private DefStmt Def()
    {
        var line = Next().Line;
        var name = ExpectName();
        Expect(TokenKind.Operator, "(");
        var parameters = new List<string>();
        if (!Accept(TokenKind.Operator, ")"))
        {
            do
            {
                var parameter = ExpectName();
                if (parameters.Contains(parameter))
                {
                    throw Error($"duplicate parameter '{parameter}'");
                }
                parameters.Add(parameter);
            }
            while (Accept(TokenKind.Operator, ","));
            Expect(TokenKind.Operator, ")");
        }
        return new DefStmt(name, parameters, Block(), line);
    }

    private Expr Expression() => Or();

    private Expr Or()
    {
        var left = And();
        while (Peek.Is(TokenKind.Keyword, "or"))
        {
            var line = Next().Line;
            left = new BinaryExpr("or", left, And(), line);
        }
        return left;
    }

    private Expr And()
    {
        var left = Not();
        while (Peek.Is(TokenKind.Keyword, "and"))
        {
            var line = Next().Line;
            left = new BinaryExpr("and", left, Not(), line);
        }
        return left;
    }

    private Expr Not()
    {
        if (Peek.Is(TokenKind.Keyword, "not"))
        {
            var line = Next().Line;
            return new UnaryExpr("not", Not(), line);
        }
        return Comparison();
    }

    private Expr Comparison()
    {
        var first = Sum();
        var ops = new List<string>();
        var rest = new List<Expr>();
        while (Peek.Kind == TokenKind.Operator && CompareOps.Contains(Peek.Text))
        {
            ops.Add(Next().Text);
            rest.Add(Sum());
        }
        return ops.Count == 0 ? first : new CompareExpr(first, ops, rest, first.Line);
    }

    private Expr Sum()
    {
        var left = Product();
        while (Peek.Kind == TokenKind.Operator && Peek.Text is "+" or "-")
        {
            var op = Next();
            left = new BinaryExpr(op.Text, left, Product(), op.Line);
        }
        return left;
    }

    private Expr Product()
    {
        var left = Unary();
        while (Peek.Kind == TokenKind.Operator && Peek.Text is "*" or "//" or "%" or "/")
        {
            var op = Next();
            left = new BinaryExpr(op.Text, left, Unary(), op.Line);
        }
        return left;
    }

    private Expr Unary()
    {
        if (Peek.Kind == TokenKind.Operator && Peek.Text is "-" or "+")
        {
            var op = Next();
            return new UnaryExpr(op.Text, Unary(), op.Line);
        }
        return Power();
    }

    private Expr Power()
    {
        var left = Postfix();
        if (Peek.Is(TokenKind.Operator, "**"))
        {
            var line = Next().Line;
            return new BinaryExpr("**", left, Unary(), line); // right-associative, binds tighter than unary on its left
        }
        return left;
    }

    private Expr Postfix()
    {
        var expr = Atom();
        while (true)
        {
            if (Peek.Is(TokenKind.Operator, "["))
            {
                var line = Next().Line;
                var index = Expression();
                Expect(TokenKind.Operator, "]");
                expr = new IndexExpr(expr, index, line);
            }
            else if (Peek.Is(TokenKind.Operator, "("))
            {
                if (expr is not NameExpr name)
                {
                    throw Error("only named functions can be called");
                }
                _pos++;
                expr = new CallExpr(name.Name, Arguments(), name.Line);
            }
            else if (Peek.Is(TokenKind.Operator, "."))
            {
                var line = Next().Line;
                var method = ExpectName();
                Expect(TokenKind.Operator, "(");
                expr = new MethodCallExpr(expr, method, Arguments(), line);
            }
            else
            {
                return expr;
            }
        }
    }

    private List<Expr> Arguments()
    {
        var args = new List<Expr>();
        if (Accept(TokenKind.Operator, ")"))
        {
            return args;
        }
        do
        {
            if (Peek.Is(TokenKind.Operator, ")"))
            {
                break; // trailing comma
            }
            args.Add(Expression());
        }
        while (Accept(TokenKind.Operator, ","));
        Expect(TokenKind.Operator, ")");
        return args;
    }

    private Expr Atom()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.Integer:
                if (!long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    throw new PythonException(PythonErrorKind.OverflowError, token.Line, $"integer literal {token.Text} does not fit in 64 bits");
                }
                return new LiteralExpr(value, token.Line);
            case TokenKind.String:
                return new LiteralExpr(token.Text, token.Line);
            case TokenKind.Name:
                return new NameExpr(token.Text, token.Line);
            case TokenKind.Keyword when token.Text is "True" or "False":
                return new LiteralExpr(token.Text == "True", token.Line);
            case TokenKind.Keyword when token.Text == "None":
                return new LiteralExpr(null, token.Line);
            case TokenKind.Operator when token.Text == "(":
                var inner = Expression();
                Expect(TokenKind.Operator, ")");
                return inner;
            case TokenKind.Operator when token.Text == "[":
                var items = new List<Expr>();
                while (!Accept(TokenKind.Operator, "]"))
                {
                    items.Add(Expression());
                    if (!Accept(TokenKind.Operator, ","))
                    {
                        Expect(TokenKind.Operator, "]");
                        break;
                    }
                }
                return new ListExpr(items, token.Line);
            default:
                _pos--;
                throw Error($"unexpected {Describe(token)}");
        }
    }
}
