using Infra.Cli.Terminal;
using Infra.Client.Corpus;
using Infra.Contracts.Gradients.V1;
using Infra.Corpus;

namespace Infra.Cli.Corpora;

/// <summary>
/// The CLI's corpus loading: <see cref="CorpusExamples.LoadAsync"/>, with an unreadable or invalid file (or options
/// that do not fit it) reported as <see cref="ExitCodes.BadInput"/> listing every problem with its line or row number.
/// </summary>
internal static class CorpusInput
{
    /// <summary>
    /// The examples of <paramref name="path"/> as they are trained (<see cref="CorpusExamples.LoadTrainingAsync"/>: conversations
    /// whole, with <paramref name="loss"/>), in file order, with the difficulty scheme used.
    /// </summary>
    public static async Task<LoadedCorpus> LoadTrainingAsync(string path, CorpusReaderOptions? options, ConversationLoss loss, CancellationToken token)
    {
        try
        {
            return await CorpusExamples.LoadTrainingAsync(path, options, loss, token).ConfigureAwait(false);
        }
        catch (CorpusFormatException e)
        {
            throw new CliException(ExitCodes.BadInput, e.Message, e) { Details = e.Details };
        }
    }

    /// <summary>The examples of <paramref name="path"/> read under <paramref name="options"/> (null = the lab's schema), in file order, with the difficulty scheme used.</summary>
    public static async Task<LoadedCorpus> LoadAsync(string path, CorpusReaderOptions? options, CancellationToken token)
    {
        try
        {
            return await CorpusExamples.LoadAsync(path, options, token).ConfigureAwait(false);
        }
        catch (CorpusFormatException e)
        {
            throw new CliException(ExitCodes.BadInput, e.Message, e) { Details = e.Details };
        }
    }
}
