using Infra.Corpus;
using Infra.Lab.Schema;

namespace Infra.Lab.Tests.Schema;

/// <summary>Generated examples written as corpus records read back with their spans and tests, and still check.</summary>
public class LabRecordsTests
{
    [Fact]
    public void Generated_records_round_trip_and_still_check()
    {
        var examples = Tests.Corpus.GeneratedExamples.All.Take(200).ToList();
        using var stream = new MemoryStream();
        CorpusWriter.Write(stream, examples.Select(LabRecords.ToRecord));
        stream.Position = 0;
        var result = CorpusReader.Read(new StreamReader(stream));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(examples.Count, result.Records.Count);
        for (var i = 0; i < examples.Count; i++)
        {
            var record = result.Records[i];
            Assert.Equal(examples[i].Response, record.Response);
            Assert.Equal(examples[i].Spans, LabRecords.Spans(record));
            Assert.Equal(examples[i].Tests, LabRecords.Tests(record));
            Assert.True(LabRecords.Check(record).Correct, record.Id);
        }
    }
}
