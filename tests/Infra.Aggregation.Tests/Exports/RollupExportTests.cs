using Infra.Aggregation.Exports;
using Infra.Aggregation.Reweighting;
using Infra.Aggregation.Rollups;
using Infra.Aggregation.Tests.Rollups;

namespace Infra.Aggregation.Tests.Exports;

public class RollupExportTests
{
    [Fact]
    public async Task Every_rollup_and_reweighting_table_exports_to_csv_and_parquet()
    {
        var rollup = HandMadeScores.Rollup(topK: 2);
        var sequences = new SequenceRollupAccumulator();
        sequences.Add(new SequenceScoreRecord("m1", 0, "math", 1, "math", new HashSet<string> { "verification", "backtracking" }, 3, 1.5));
        sequences.Add(new SequenceScoreRecord("m1", 1, "math", 1, "math", new HashSet<string>(), 2, -0.5));
        var sequenceRollup = sequences.Finish();
        var examples = HandMadeScores.Examples.Select(e => new WeightingExample(e.Id, e.Domain, e.Difficulty, rollup.ExampleInfluence(e.Id, e.Domain))).ToArray();
        var flip = DifficultyFlip.Compute(examples);

        ExportTable[] tables =
        [
            RollupTables.Cells("math_domain_difficulty", rollup.DomainDifficultyTable("math")),
            RollupTables.Cells("cross_domain", rollup.CrossDomainMatrix()),
            RollupTables.RankedExamples("top_examples", rollup),
            RollupTables.ScoredPairs("top_scores", rollup),
            RollupTables.BehaviourComparison("behaviours", sequenceRollup.BehaviourComparison()),
            RollupTables.Sequences("top_sequences", sequenceRollup),
            ReweightingTables.Summary("reweighting_summary", ReweightingSummary.Summarize(flip.Examples)),
            ReweightingTables.DifficultyFlipCells("difficulty_flip", flip.Cells),
            ReweightingTables.Weights("weights", flip.Examples),
        ];

        Assert.Equal(18, tables[1].RowCount);
        Assert.Equal(3 * 2 * 2, tables[2].RowCount); // (code, math, all) x (top, bottom) x 2
        Assert.Equal(["math", "math", "1", "2", "0.5", "0.5", "1", "0.5"], tables[0].Rows.First(row => (string?)row[1] == "math").Take(8).Select(CsvTableWriter.Format));
        Assert.Equal("verification;backtracking".Split(';').Order(StringComparer.Ordinal), ((string)tables[5].Rows[0][7]!).Split(';'));
        var directory = Directory.CreateTempSubdirectory("infra-exports-");
        try
        {
            foreach (var table in tables)
            {
                var csv = Path.Combine(directory.FullName, table.Name + ".csv");
                CsvTableWriter.WriteFile(table, csv);
                Assert.Equal(table.RowCount + 1, File.ReadAllText(csv).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
                var parquet = Path.Combine(directory.FullName, table.Name + ".parquet");
                await ParquetTableWriter.WriteFileAsync(table, parquet);
                var back = await ParquetTableReader.ReadFileAsync(parquet);
                Assert.Equal(table.Columns, back.Columns);
                Assert.Equal(table.Rows, back.Rows);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
