namespace Infra.Aggregation.Sequences;

/// <summary>What a sequence of a segmented response is; the leaf level of the partition.</summary>
public enum SequenceKind
{
    /// <summary>A sentence of natural language (a reasoning step holds one or more).</summary>
    Sentence,

    /// <summary>One code statement: a line, a line continued inside brackets, or one of several statements joined by ';'.</summary>
    CodeLine,

    /// <summary>A code statement ending in ':' that opens an indented block (def, for, if, ...).</summary>
    CodeBlockHeader,

    /// <summary>A Markdown code-fence line (<c>```python</c>, <c>```</c>): syntax, neither prose nor code.</summary>
    Fence,

    /// <summary>The special tokens that end the response (<c>&lt;|im_end|&gt;</c>); only in a <see cref="SequenceTokenMap"/>.</summary>
    End,

    /// <summary>A response that is whitespace only, kept as one sequence so that every character has one.</summary>
    Blank,
}
