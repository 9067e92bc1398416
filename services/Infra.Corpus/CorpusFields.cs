namespace Infra.Corpus;

/// <summary>Field names and domain words of the JSONL schema, in one place for the reader and the writer.</summary>
public static class CorpusFields
{
    public const string Id = "id";
    public const string Domain = "domain";
    public const string Difficulty = "difficulty";
    public const string Prompt = "prompt";
    public const string Response = "response";
    public const string Messages = "messages";
    public const string Conversations = "conversations";
    public const string Tags = "tags";
    public const string Answer = "answer";
    public const string Math = "math";
    public const string Code = "code";

    /// <summary>Lowest and highest difficulty level: 1 and 5.</summary>
    public const int MinDifficulty = 1;
    public const int MaxDifficulty = 5;

    /// <summary>The JSONL word for <paramref name="domain"/>: "math" or "code".</summary>
    public static string DomainName(ReasoningDomain domain) => domain == ReasoningDomain.Math ? Math : Code;

    /// <summary>The lab's <see cref="ReasoningDomain"/> for a domain name, or null when it is neither "math" nor "code".</summary>
    public static ReasoningDomain? LabDomain(string domain) => domain switch { Math => ReasoningDomain.Math, Code => ReasoningDomain.Code, _ => null };
}
