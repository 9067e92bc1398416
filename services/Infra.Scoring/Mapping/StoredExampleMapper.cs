using Infra.Contracts.Metadata;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Store;

namespace Infra.Scoring.Mapping;

/// <summary>A stored example's metadata as a <see cref="GetExamplesResponse"/>.</summary>
internal static class StoredExampleMapper
{
    public static GetExamplesResponse ToWire(StoredExampleText example)
    {
        var details = example.Tokens;
        var message = new GetExamplesResponse { Id = example.Id, Domain = example.Domain, Difficulty = example.Difficulty, Text = details.Text };
        message.TokenIds.AddRange(details.TokenIds);
        message.LossMask.AddRange(details.LossMask.Select(b => (uint)b));
        message.CharStarts.AddRange(details.CharStarts);
        message.CharLengths.AddRange(details.CharLengths);
        message.Tokens.AddRange(Enumerable.Range(0, details.TokenIds.Length).Select(details.TokenString));
        MetadataWire.CopyTo(example.Metadata, message.Metadata);
        return message;
    }
}
