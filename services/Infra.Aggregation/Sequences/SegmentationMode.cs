namespace Infra.Aggregation.Sequences;

/// <summary>
/// How the text of a response outside code fences is read. A response with a code fence always
/// reads fenced text as code and the rest as prose, whatever the mode; the mode decides only
/// responses without fences.
/// </summary>
public enum SegmentationMode
{
    /// <summary>Natural language (math reasoning): steps and sentences.</summary>
    Prose,

    /// <summary>Bare code: statements and indented blocks.</summary>
    Code,
}
