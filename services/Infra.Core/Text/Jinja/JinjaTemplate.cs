namespace Infra.Core.Text.Jinja;

/// <summary>
/// A Jinja template as HF chat templates use them, rendered byte for byte as <c>@huggingface/jinja</c> 0.5.11 renders
/// it (the renderer transformers.js and the Hub use), with HF's <c>apply_chat_template</c> settings: <c>trim_blocks</c>
/// and <c>lstrip_blocks</c> on, one trailing newline of the template dropped, <c>{% generation %}</c> tags removed.
/// </summary>
/// <remarks>
/// Where that renderer departs from Python's Jinja, this follows it: booleans print as <c>true</c>/<c>false</c>,
/// <c>tojson</c> keeps non-ASCII text and does not sort keys unless asked, <c>==</c> is JavaScript's. Parsing happens
/// once; <see cref="Render"/> is thread-safe.
/// </remarks>
public sealed class JinjaTemplate
{
    private readonly IReadOnlyList<JinjaNode> _program;

    private JinjaTemplate(IReadOnlyList<JinjaNode> program) => _program = program;

    /// <summary>Parses <paramref name="source"/>.</summary>
    /// <exception cref="JinjaException">The template does not lex or parse.</exception>
    public static JinjaTemplate Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new JinjaTemplate(JinjaParser.Parse(JinjaLexer.Tokenize(source)));
    }

    /// <summary>
    /// Renders with <paramref name="variables"/> (strings, booleans, numbers, null, lists and string-keyed
    /// dictionaries of these). <paramref name="clock"/> gives <c>strftime_now</c>'s time; defaults to the local time.
    /// </summary>
    /// <exception cref="JinjaException">An operation the reference refuses, or the template's <c>raise_exception</c>.</exception>
    public string Render(IReadOnlyDictionary<string, object?> variables, Func<DateTime>? clock = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var scope = new JinjaScope(null);
        JinjaGlobals.AddTo(scope, clock ?? (() => DateTime.Now));
        foreach (var (name, value) in variables) scope.Set(name, JinjaValues.From(value));
        return new JinjaInterpreter().EvaluateBlock(_program, scope);
    }
}
