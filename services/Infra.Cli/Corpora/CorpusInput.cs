using Infra.Cli.Terminal;
using Infra.Client.Corpus;
using Infra.Contracts.Gradients.V1;
using Infra.Corpus;

namespace Infra.Cli.Corpora;

/// <summary>
/// The CLI's corpus loading: <see cref="CorpusExamples.LoadAsync"/>, with an unreadable or invalid file reported as
/// <see cref="ExitCodes.BadInput"/> listing every problem with its line or row number.
/// </summary>
internal static class CorpusInput
{
    /// <summary>The examples of <paramref name="path"/>, in file order.</summary>
    public static async Task<IReadOnlyList<Example>> LoadAsync(string path, CancellationToken token)
    {
        try
        {
            return await CorpusExamples.LoadAsync(path, token).ConfigureAwait(false);
        }
        catch (CorpusFormatException e)
        {
            throw new CliException(ExitCodes.BadInput, e.Message, e) { Details = e.Details };
        }
    }
}
