namespace Infra.Aggregation.Tokens;

/// <summary>What kind of token a response token is, for the paper's token-level read-out ("math prefers connectors, code prefers syntax").</summary>
public enum TokenCategory
{
    /// <summary>A word that links reasoning in prose: therefore, so, because, thus, then, first, and, but, if, ...</summary>
    NaturalLanguageConnector,

    /// <summary>Digits (the Qwen tokenizers split numbers into single digits), with an optional sign, decimal point or percent.</summary>
    Number,

    /// <summary>Arithmetic, comparison and assignment operators: + - * / = &lt; &gt; ** % // == != &lt;= &gt;= += -&gt; ...</summary>
    Operator,

    /// <summary>A Python keyword or builtin in code: def return for in while if else elif print range len ...</summary>
    CodeKeyword,

    /// <summary>Brackets, colon, comma, period, semicolon, quotes, backticks; in code also indentation.</summary>
    PunctuationSyntax,

    /// <summary>A name in code that is not a keyword or builtin.</summary>
    Identifier,

    /// <summary>Any other natural-language word (or piece of one).</summary>
    Word,

    /// <summary>Spaces and line breaks (outside code indentation).</summary>
    Whitespace,

    /// <summary>A special token such as <c>&lt;|im_end|&gt;</c>.</summary>
    Special,

    /// <summary>Anything else (mixed symbols and letters, other scripts' symbols).</summary>
    Other,
}
