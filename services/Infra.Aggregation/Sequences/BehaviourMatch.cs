namespace Infra.Aggregation.Sequences;

/// <summary>One occurrence of a lexicon phrase: its behaviour tag, the phrase as written in the lexicon, and where it stands (UTF-16 offsets into the searched text).</summary>
public sealed record BehaviourMatch(string Tag, string Phrase, int Start, int Length);
