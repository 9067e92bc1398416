using Infra.Contracts.Gradients.V1;
using Infra.Corpus;

namespace Infra.Client.Corpus;

/// <summary>Corpus records as the GradientService's examples: the response is what carries loss.</summary>
public static class CorpusExamples
{
    /// <summary>The example of <paramref name="record"/>: id, prompt, response, domain ("math" or "code"), difficulty.</summary>
    public static Example ToExample(CorpusRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new Example
        {
            Id = record.Id,
            Prompt = record.Prompt,
            Response = record.Response,
            Domain = record.Domain,
            Difficulty = record.Difficulty,
        };
    }

    /// <summary>The examples of the corpus file at <paramref name="path"/> (JSONL or Parquet), in file order.</summary>
    /// <exception cref="CorpusFormatException">The file is missing, empty, or has an invalid line or row.</exception>
    public static async Task<IReadOnlyList<Example>> LoadAsync(string path, CancellationToken token) =>
        (await CorpusFile.ReadAsync(path, token).ConfigureAwait(false)).Select(ToExample).ToList();
}
