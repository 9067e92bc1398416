namespace Infra.Validation.Lds;

/// <summary>The run folder holds a run made with other arguments; rerun with overwrite to replace it.</summary>
public sealed class LdsRunMismatchException(string message) : InvalidOperationException(message)
{
    public LdsRunMismatchException() : this("the run folder holds a run made with other arguments")
    {
    }

    public LdsRunMismatchException(string message, Exception inner) : this(message + ": " + inner.Message)
    {
    }
}
