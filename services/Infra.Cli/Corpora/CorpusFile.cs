using System.Globalization;
using Infra.Cli.Terminal;
using Infra.Contracts.Gradients.V1;
using Infra.Lab.Corpus;
using Infra.Lab.Schema;

namespace Infra.Cli.Corpora;

/// <summary>
/// Reads a corpus or query set for the services: JSONL in the lab schema (validated line by line by
/// <see cref="CorpusReader"/>) or Parquet with the columns id, domain, difficulty, prompt, response. Any invalid line
/// or row fails the whole read with <see cref="ExitCodes.BadInput"/>, listing every problem with its line or row number.
/// </summary>
internal static class CorpusFile
{
    /// <summary>The examples of <paramref name="path"/>, in file order.</summary>
    public static async Task<IReadOnlyList<Example>> LoadAsync(string path, CancellationToken token)
    {
        if (!File.Exists(path)) throw new CliException(ExitCodes.BadInput, $"corpus file {path} does not exist");
        IReadOnlyList<CorpusRecord> records;
        if (Path.GetExtension(path).Equals(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            records = await ParquetCorpus.ReadAsync(path, token).ConfigureAwait(false);
        }
        else
        {
            var result = CorpusReader.ReadFile(path);
            if (result.ErrorCount > 0)
            {
                throw new CliException(ExitCodes.BadInput,
                    $"{path}: {result.InvalidLines.ToString(CultureInfo.InvariantCulture)} invalid line(s) of {result.LineCount.ToString(CultureInfo.InvariantCulture)}; first: {result.Errors[0]}")
                {
                    Details = result.Errors.Select(e => e.ToString()).ToList(),
                };
            }
            records = result.Records;
        }
        if (records.Count == 0) throw new CliException(ExitCodes.BadInput, $"{path} holds no examples");
        return records.Select(ToExample).ToList();
    }

    /// <summary>The GradientService's example of a corpus record (the response is what carries loss).</summary>
    public static Example ToExample(CorpusRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new Example
        {
            Id = record.Id,
            Prompt = record.Prompt,
            Response = record.Response,
            Domain = record.Domain == ReasoningDomain.Math ? CorpusFields.Math : CorpusFields.Code,
            Difficulty = record.Difficulty,
        };
    }
}
