using System.Text.Json;
using SsdEdge.Trainer.Comparison;
using SsdEdge.Trainer.Runs;
using SsdEdge.Trainer.Tests.Training;
using SsdEdge.Trainer.Training;
using Xunit;

namespace SsdEdge.Trainer.Tests.Comparison;

[Collection(TorchGlobalStateGroup.Name)]
public sealed class RunComparisonTests : IDisposable
{
    private const string Source = "synthetic:11?subjects=4&duration=100&rate=128";

    private readonly string _directory = Directory.CreateTempSubdirectory("ssdedge-compare-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Execute_TwoRunsOnSameFolds_WritesPairedComparison()
    {
        var first = Train("first", "kfold:2", seed: 1);
        var second = Train("second", "kfold:2", seed: 2);
        var outDir = Path.Combine(_directory, "comparison");

        var result = RunComparison.Execute([first, second], outDir, TextWriter.Null);

        Assert.Equal("first", result.BaselineRunId);
        Assert.Equal(2, result.Folds);
        Assert.Null(result.Runs[0].Accuracy);
        var paired = Assert.IsType<PairedTTest>(result.Runs[1].Accuracy);
        Assert.Equal(2, paired.Count);
        var expected = Report(second).Mean.Accuracy - Report(first).Mean.Accuracy;
        Assert.Equal(expected, paired.MeanDifference, 12);
        Assert.True(File.Exists(Path.Combine(outDir, "compare.md")));
        Assert.True(File.Exists(Path.Combine(outDir, "compare.json")));
        Assert.True(new FileInfo(Path.Combine(outDir, "compare.png")).Length > 1000);
    }

    [Fact]
    public void Execute_OneFold_SpreadUndefined()
    {
        var first = Train("first", "holdout", seed: 1);
        var second = Train("second", "holdout", seed: 2);
        var outDir = Path.Combine(_directory, "comparison");

        var result = RunComparison.Execute([first, second], outDir, TextWriter.Null);

        Assert.Equal(1, result.Folds);
        Assert.Null(result.Runs[0].Std);
        Assert.Null(result.Runs[1].Std);
        var markdown = File.ReadAllText(Path.Combine(outDir, "compare.md"));
        Assert.DoesNotContain("± 0.000", markdown, StringComparison.Ordinal);
        Assert.Contains("± n/a", markdown, StringComparison.Ordinal);
        Assert.Contains("standard deviation over folds is undefined", markdown, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "compare.json")));
        var std = json.RootElement.GetProperty("runs")[0].GetProperty("std");
        Assert.Equal(JsonValueKind.Null, std.ValueKind);
    }

    [Fact]
    public void Execute_DifferentFolds_ThrowsNamingRuns()
    {
        var kfold = Train("kfold", "kfold:2", seed: 1);
        var holdout = Train("holdout", "holdout", seed: 1);

        var error = Assert.Throws<ArgumentException>(
            () => RunComparison.Execute([kfold, holdout], Path.Combine(_directory, "x"), TextWriter.Null));

        Assert.Contains("'kfold' and 'holdout' have different folds", error.Message, StringComparison.Ordinal);
    }

    private string Train(string runId, string plan, int seed)
    {
        var layout = TrainingRun.Execute(
            new TrainRequest
            {
                Source = Source,
                RunsDirectory = _directory,
                RunId = runId,
                Folds = FoldPlan.Parse(plan),
                ValidationFraction = 0,
                TestFraction = 0.25,
                Training = new TrainingOptions { Epochs = 1, BatchSize = 16, Seed = seed, CpuThreads = 1 },
            },
            TextWriter.Null);
        return layout.Directory;
    }

    private static TrainingReport Report(string runDirectory) =>
        JsonSerializer.Deserialize<TrainingReport>(
            File.ReadAllText(Path.Combine(runDirectory, "report.json")),
            TrainingReport.JsonOptions)!;
}
