namespace Infra.Core.Text;

/// <summary>How a (system, prompt, response) example is rendered into text for training.</summary>
public enum ChatFormat
{
    /// <summary>HF's Qwen2.5 chat template: <c>&lt;|im_start|&gt;role\n...&lt;|im_end|&gt;\n</c> turns, with a default system turn.</summary>
    Qwen25,

    /// <summary>Prompt then response, nothing between them; EOS after the response when the tokenizer has one.</summary>
    Plain,
}
