using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Metadata;
using Infra.Corpus;

namespace Infra.Client.Corpus;

/// <summary>Corpus records as the GradientService's examples: the response (or a conversation's assistant turns) is what carries loss.</summary>
public static class CorpusExamples
{
    /// <summary>
    /// The example of <paramref name="record"/> as one exchange: id, prompt, response, domain, difficulty (0 = unlabelled) and
    /// metadata columns. A conversation is its last exchange (<see cref="CorpusRecord.Prompt"/>, <see cref="CorpusRecord.Response"/>):
    /// the form query sets take, whose saved recipes hold single exchanges.
    /// </summary>
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
    /// The example of <paramref name="record"/> as it is trained: a conversation (<see cref="CorpusRecord.IsConversation"/>)
    /// with every turn in <see cref="Example.Messages"/>, rendered by the GradientService with the checkpoint's own chat
    /// template, and <paramref name="loss"/> as its <see cref="Example.ConversationLoss"/> (null = the service's defaults:
    /// every assistant turn, trailing newline trained); any other record exactly as <see cref="ToExample"/>.
    /// </summary>
    public static Example ToTrainingExample(CorpusRecord record, ConversationLoss? loss)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.IsConversation || record.Messages is not { Count: > 0 } messages) return ToExample(record);
        var example = new Example
        {
            Id = record.Id,
            Domain = record.Domain,
            Difficulty = record.Difficulty,
            ConversationLoss = loss?.Clone(),
        };
        example.Messages.AddRange(messages.Select(m => new ChatTurn { Role = m.Role, Content = m.Content }));
        MetadataWire.CopyTo(record.Metadata, example.Metadata);
        return example;
    }

    /// <summary>
    /// The examples of the corpus file at <paramref name="path"/> (JSONL or Parquet) read under <paramref name="options"/>
    /// (null = the lab's schema), in file order, with the difficulty scheme used: conversations as their last exchange
    /// (<see cref="ToExample"/>), for query sets.
    /// </summary>
    /// <exception cref="CorpusFormatException">The file is missing, empty, has an invalid line or row, or the options do not fit it.</exception>
    public static async Task<LoadedCorpus> LoadAsync(string path, CorpusReaderOptions? options, CancellationToken token)
    {
        var read = await CorpusFile.ReadAsync(path, options, token).ConfigureAwait(false);
        return new LoadedCorpus(read.Records.Select(ToExample).ToList(), read.Scheme);
    }

    /// <summary>
    /// As <see cref="LoadAsync"/>, with every record as it is trained (<see cref="ToTrainingExample"/>): conversations whole,
    /// each with <paramref name="loss"/> (null = the service's defaults). For indexing and EK-FAC fitting, which must render
    /// a corpus the same way.
    /// </summary>
    /// <exception cref="CorpusFormatException">The file is missing, empty, has an invalid line or row, or the options do not fit it.</exception>
    public static async Task<LoadedCorpus> LoadTrainingAsync(string path, CorpusReaderOptions? options, ConversationLoss? loss, CancellationToken token)
    {
        var read = await CorpusFile.ReadAsync(path, options, token).ConfigureAwait(false);
        return new LoadedCorpus(read.Records.Select(r => ToTrainingExample(r, loss)).ToList(), read.Scheme);
    }
}
