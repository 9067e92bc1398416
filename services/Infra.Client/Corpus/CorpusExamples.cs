using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Metadata;
using Infra.Corpus;

namespace Infra.Client.Corpus;

/// <summary>Corpus records as the GradientService's examples: the response is what carries loss.</summary>
public static class CorpusExamples
{
    /// <summary>The example of <paramref name="record"/>: id, prompt, response, domain, difficulty (0 = unlabelled) and metadata columns.</summary>
    public static Example ToExample(CorpusRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var example = new Example
        {
            Id = record.Id,
            Prompt = record.Prompt,
            Response = record.Response,
            Domain = record.Domain,
            Difficulty = record.Difficulty,
        };
        MetadataWire.CopyTo(record.Metadata, example.Metadata);
        return example;
    }

    /// <summary>
    /// The examples of the corpus file at <paramref name="path"/> (JSONL or Parquet) read under <paramref name="options"/>
    /// (null = the lab's schema), in file order, with the difficulty scheme used.
    /// </summary>
    /// <exception cref="CorpusFormatException">The file is missing, empty, has an invalid line or row, or the options do not fit it.</exception>
    public static async Task<LoadedCorpus> LoadAsync(string path, CorpusReaderOptions? options, CancellationToken token)
    {
        var read = await CorpusFile.ReadAsync(path, options, token).ConfigureAwait(false);
        return new LoadedCorpus(read.Records.Select(ToExample).ToList(), read.Scheme);
    }
}
