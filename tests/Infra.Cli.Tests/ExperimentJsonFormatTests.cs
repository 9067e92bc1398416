using System.Text.Json.Nodes;
using Infra.Cli.Experiment;

namespace Infra.Cli.Tests;

/// <summary>The experiment's files as written today (format 2: snake_case) and before (format 1: camelCase, no version) open with this code, so an old run folder resumes.</summary>
public sealed class ExperimentJsonFormatTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("infra-experiment-json-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_format_1_unit_result_is_read_as_a_finished_run()
    {
        File.WriteAllText(Path.Combine(_root, ConditionRun.ResultFile), """
            {
              "condition": "baseline",
              "seed": 1,
              "steps": 6,
              "lossTokens": 480,
              "weightedLossTokens": 480,
              "resumedAtStep": 2,
              "firstLoss": 5.5,
              "finalLoss": 2.25,
              "trainingSeconds": 10,
              "evaluationSeconds": 3,
              "cells": [ { "domain": "math", "difficulty": 1, "items": 4, "correct": 3, "accuracy": 0.75 } ],
              "logLikelihood": [ { "domain": "math", "difficulty": 1, "items": 4, "sum": -8, "mean": -2 } ],
              "strippedLogLikelihood": null
            }
            """);
        var unit = ConditionRun.TryRead(_root)!;
        Assert.Equal(("baseline", 480L, 2, 2.25), (unit.Condition, unit.LossTokens, unit.ResumedAtStep, unit.FinalLoss));
        Assert.Equal(3, unit.Cells.Single().Correct);
        Assert.Equal(-8, unit.LogLikelihood.Single().Sum);
        Assert.Null(unit.StrippedLogLikelihood);
    }

    [Fact]
    public void A_unit_result_is_written_snake_case_with_its_format_version_and_reads_back()
    {
        var unit = new UnitResult
        {
            Condition = "difficulty-flip", Seed = 2, Steps = 6, LossTokens = 480, WeightedLossTokens = 479.5, ResumedAtStep = 0,
            FirstLoss = 5, FinalLoss = 2, TrainingSeconds = 1, EvaluationSeconds = 1,
            Cells = [new Infra.Torch.Evaluation.AccuracyCell("code", 2, 4, 1)], LogLikelihood = [new LikelihoodCell("code", 2, 4, -6)],
        };
        var json = ExperimentJson.Serialize(unit);
        var root = JsonNode.Parse(json)!.AsObject();
        Assert.Equal("format_version", root.First().Key);
        Assert.Equal(ExperimentJson.CurrentVersion, (int)root["format_version"]!);
        Assert.Equal(479.5, (double)root["weighted_loss_tokens"]!);
        Assert.NotNull(root["log_likelihood"]);
        File.WriteAllText(Path.Combine(_root, ConditionRun.ResultFile), json);
        var back = ConditionRun.TryRead(_root)!;
        Assert.Equal((unit.Condition, unit.WeightedLossTokens, unit.Cells[0], unit.LogLikelihood[0]), (back.Condition, back.WeightedLossTokens, back.Cells[0], back.LogLikelihood[0]));
    }
}
