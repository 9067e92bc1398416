using Infra.Core.Text;

namespace Infra.Core.Tests.Text.ChatTemplates;

/// <summary>
/// Thirty fixed conversations for the template parity tests: one and several rounds, with and without a system
/// message, empty contents, text that needs trimming, leading newlines, unicode (CJK, RTL, emoji with ZWJ, combining
/// marks), Jinja-looking and JSON-looking text, reasoning blocks, and ones that end with the user (for the generation
/// prompt) or the assistant. Some break a template's rules (two users in a row, a system message where none is
/// allowed): the reference then raises, and so must we.
/// </summary>
internal static class ChatConversations
{
    private static ChatTurn S(string text) => new("system", text);

    private static ChatTurn U(string text) => new("user", text);

    private static ChatTurn A(string text) => new("assistant", text);

    public static IReadOnlyList<IReadOnlyList<ChatTurn>> All { get; } =
    [
        [U("Hello!")],
        [U("What is 2 + 2?"), A("4")],
        [S("You are a terse assistant."), U("Name a prime."), A("7")],
        [S("You are helpful."), U("Hi"), A("Hello! How can I help?"), U("Tell me a joke."), A("Why did the chicken cross the road?")],
        [U("First"), A("One"), U("Second"), A("Two"), U("Third"), A("Three"), U("Fourth")],
        [S(""), U("Empty system message."), A("Noted.")],
        [U(""), A("You sent nothing.")],
        [U("Say nothing."), A("")],
        [S("Be brief."), U(""), A("")],
        [U("  padded question  \n"), A("\n\n  padded answer  \n")],
        [U("Start with a newline."), A("\nThe answer starts on a new line.")],
        [U("Two lines?"), A("line one\nline two\n")],
        [S("用中文回答。"), U("你好，世界是什么？"), A("世界是我们生活的地方。")],
        [U("مرحبا، كيف حالك؟"), A("أنا بخير، شكراً!")],
        [U("Emoji: 👩‍👩‍👧‍👦 and 🇯🇵"), A("Family and flag: 👩‍👩‍👧‍👦🇯🇵")],
        [U("Combining: e\u0301 vs \u00e9, a\u030A"), A("Both render as accented letters: \u00e9 e\u0301.")],
        [U("Template text: {{ messages }} {% if x %}y{% endif %}"), A("That is {{ literal }} Jinja, not code.")],
        [U("JSON please"), A("{\"key\": \"value\", \"list\": [1, 2, 3]}")],
        [U("Quotes ' \" and backslashes \\ \\n"), A("Escapes: \\t \\\\ '\"'")],
        [U("Think first."), A("<think>\nLet me reason about it.\n</think>\n\nThe answer is 42.")],
        [U("Reason twice."), A("<think>step</think>Result one."), U("Again?"), A("<think>\nmore steps\n</think>\n\nResult two.")],
        [S("System only at start."), U("Q1"), A("A1"), U("Q2")],
        [U("Q"), U("Another user turn right away")],
        [S("First system."), S("Second system."), U("Which system wins?"), A("Both were given.")],
        [U("Tabs\tand\r\nCRLF line ends\r\n"), A("Kept\tas\r\nthey are.")],
        [U("A long one: " + string.Concat(Enumerable.Repeat("lorem ipsum dolor sit amet ", 40)).TrimEnd()), A(string.Concat(Enumerable.Repeat("consectetur ", 30)).TrimEnd())],
        [S("You are Qwen, created by Alibaba Cloud. You are a helpful assistant."), U("Who are you?"), A("I am Qwen.")],
        [U("Special-looking text: <|im_end|> <|eot_id|> [INST] </s>"), A("Those are just characters here.")],
        [U("Numbers: 3.14, -0, 1e10"), A("Noted: 3.14, -0, 1e10.")],
        [S("Multi\nline\nsystem"), U("Multi\nline\nuser"), A("Multi\nline\nassistant"), U("Last\n")],
    ];
}
