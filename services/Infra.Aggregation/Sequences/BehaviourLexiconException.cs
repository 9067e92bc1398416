namespace Infra.Aggregation.Sequences;

/// <summary>A behaviour lexicon file that cannot be used; the message names the file and the problem.</summary>
public sealed class BehaviourLexiconException : Exception
{
    public BehaviourLexiconException()
    {
    }

    public BehaviourLexiconException(string message)
        : base(message)
    {
    }

    public BehaviourLexiconException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
