using Infra.Lab.Interpreter;

namespace Infra.Lab.Tests.Interpreter;

public class InterpreterErrorTests
{
    [Theory]
    [InlineData("x = 1\ny = (2 +\nprint(y)", PythonErrorKind.SyntaxError, 3)]
    [InlineData("x = 1\nif x > 0\n    print(x)", PythonErrorKind.SyntaxError, 2)]
    [InlineData("x = 1\n    y = 2", PythonErrorKind.SyntaxError, 2)]
    [InlineData("if True:\n    x = 1\n  y = 2", PythonErrorKind.SyntaxError, 3)]
    [InlineData("x = 'abc", PythonErrorKind.SyntaxError, 1)]
    [InlineData("x = 1\nx = 2 $ 3", PythonErrorKind.SyntaxError, 2)]
    [InlineData("x = 1\nprint(x)\nreturn x", PythonErrorKind.SyntaxError, 3)]
    [InlineData("x = 1\nprint(y)", PythonErrorKind.NameError, 2)]
    [InlineData("def f(a):\n    return a + b\nprint(f(1))", PythonErrorKind.NameError, 2)]
    [InlineData("x = 1\ny = x + 'a'", PythonErrorKind.TypeError, 2)]
    [InlineData("x = 7 / 2", PythonErrorKind.TypeError, 1)]
    [InlineData("def f(a):\n    return a\nf(1, 2)", PythonErrorKind.TypeError, 3)]
    [InlineData("x = 3\nx(1)", PythonErrorKind.TypeError, 2)]
    [InlineData("print(1 < 'a')", PythonErrorKind.TypeError, 1)]
    [InlineData("xs = [1, 2]\nprint(xs[2])", PythonErrorKind.IndexError, 2)]
    [InlineData("x = 0\nprint(5 // x)", PythonErrorKind.ZeroDivisionError, 2)]
    [InlineData("print(5 % 0)", PythonErrorKind.ZeroDivisionError, 1)]
    [InlineData("print(max([]))", PythonErrorKind.ValueError, 1)]
    [InlineData("x = 9223372036854775807\nx += 1", PythonErrorKind.OverflowError, 2)]
    [InlineData("print(3 ** 50)", PythonErrorKind.OverflowError, 1)]
    [InlineData("x = 99999999999999999999", PythonErrorKind.OverflowError, 1)]
    public void Errors_name_their_kind_and_line(string source, PythonErrorKind kind, int line)
    {
        var error = Assert.Throws<PythonException>(() => PythonInterpreter.Run(source));
        Assert.Equal(kind, error.Kind);
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"line {line}: {kind}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_while_loop_that_never_ends_hits_the_iteration_limit()
    {
        var error = Assert.Throws<PythonException>(() => PythonInterpreter.Run("n = 0\nwhile n >= 0:\n    n += 1"));
        Assert.Equal(PythonErrorKind.IterationLimitExceeded, error.Kind);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void A_long_for_loop_hits_the_step_limit()
    {
        var options = new InterpreterOptions { MaxSteps = 1000 };
        var error = Assert.Throws<PythonException>(() => PythonInterpreter.Run("t = 0\nfor i in range(1000000000000):\n    t += i", options));
        Assert.Equal(PythonErrorKind.StepLimitExceeded, error.Kind);
    }

    [Fact]
    public void Unbounded_recursion_hits_the_depth_limit_and_bounded_recursion_does_not()
    {
        const string source = "def down(n):\n    if n == 0:\n        return 0\n    return 1 + down(n - 1)";
        Assert.Equal(["90"], PythonInterpreter.Run(source, ["down(90)"]).Values);
        var error = Assert.Throws<PythonException>(() => PythonInterpreter.Run(source, ["down(-1)"]));
        Assert.Equal(PythonErrorKind.RecursionLimitExceeded, error.Kind);
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void Deeply_nested_brackets_are_a_syntax_error_not_a_crash()
    {
        var source = "x = " + new string('(', 500) + "1" + new string(')', 500);
        Assert.Equal(PythonErrorKind.SyntaxError, Assert.Throws<PythonException>(() => PythonInterpreter.Run(source)).Kind);
    }
}
