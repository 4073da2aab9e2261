using System.Text.Json;
using SsdEdge.Contracts;
using SsdEdge.Trainer.Runs;
using SsdEdge.Trainer.Tests.Training;
using SsdEdge.Trainer.Training;
using Xunit;

namespace SsdEdge.Trainer.Tests.Runs;

[Collection(TorchGlobalStateGroup.Name)]
public sealed class TrainingRunTests : IDisposable
{
    // Three short synthetic subjects at 128 Hz keep three LOSO folds fast.
    private const string Source = "synthetic:11?subjects=3&duration=100&rate=128";

    private readonly string _directory = Directory.CreateTempSubdirectory("ssdedge-run-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Execute_Loso_WritesEveryFoldAndPooledReport()
    {
        using var output = new StringWriter();

        var layout = TrainingRun.Execute(
            new TrainRequest
            {
                Source = Source,
                RunsDirectory = _directory,
                RunId = "loso",
                Folds = FoldPlan.Parse("loso"),
                ValidationFraction = 0.5,
                Training = new TrainingOptions { Epochs = 1, BatchSize = 16, Seed = 2, CpuThreads = 1 },
            },
            output);

        var info = JsonSerializer.Deserialize<RunInfo>(File.ReadAllText(layout.RunFile), SignalContractJson.Options)!;
        using var report = JsonDocument.Parse(File.ReadAllText(layout.ReportFile));
        var root = report.RootElement;
        var folds = root.GetProperty("folds").EnumerateArray().ToArray();
        Assert.Equal("loso", info.FoldPlan);
        Assert.Equal(3, info.Folds.Count);
        Assert.Equal(3, folds.Length);
        foreach (var fold in info.Folds)
        {
            Assert.Single(fold.TestSubjects);
            Assert.DoesNotContain(fold.TestSubjects[0], fold.TrainSubjects);
            Assert.DoesNotContain(fold.TestSubjects[0], fold.ValidationSubjects);
            Assert.True(File.Exists(layout.Fold(fold.Name).ModelFile), $"fold {fold.Name} has no model.bin");
        }

        // Pooled figures count every fold's test windows once.
        var pooledWindows = root.GetProperty("confusion_matrix").EnumerateArray()
            .SelectMany(row => row.EnumerateArray()).Sum(cell => cell.GetInt32());
        var foldWindows = folds.Sum(fold => fold.GetProperty("test_windows").GetInt32());
        Assert.Equal(foldWindows, pooledWindows);
        var meanAccuracy = folds.Average(fold => fold.GetProperty("accuracy").GetDouble());
        Assert.Equal(meanAccuracy, root.GetProperty("mean").GetProperty("accuracy").GetDouble(), 12);
        Assert.False(
            File.Exists(layout.ModelFile),
            "a multi-fold run must not pick one fold's model for the top level");
    }

    [Fact]
    public void Execute_SameSeedTwice_SameHistory()
    {
        TrainRequest Request(string runId) => new()
        {
            Source = Source,
            RunsDirectory = _directory,
            RunId = runId,
            Folds = FoldPlan.Parse("kfold:2"),
            ValidationFraction = 0,
            Training = new TrainingOptions { Epochs = 1, BatchSize = 16, Seed = 5, CpuThreads = 1 },
        };

        using var output = new StringWriter();
        var first = TrainingRun.Execute(Request("first"), output);
        var second = TrainingRun.Execute(Request("second"), TextWriter.Null);

        // Durations differ between runs; every loss and accuracy must not.
        static string[] WithoutTimes(string path) =>
            File.ReadAllLines(path).Select(line => line[..line.LastIndexOf(',')]).ToArray();
        Assert.Equal(WithoutTimes(first.HistoryFile), WithoutTimes(second.HistoryFile));
        Assert.Contains("test (last epoch; no validation subjects):", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("last_epoch", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_SplitPlanWithoutDatasetSplit_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingRun.Execute(
            new TrainRequest
            {
                Source = Source,
                RunsDirectory = _directory,
                RunId = "split",
                Folds = FoldPlan.Parse("split"),
                Training = new TrainingOptions { Epochs = 1 },
            },
            TextWriter.Null));

        Assert.Contains("no train/test split", error.Message, StringComparison.Ordinal);
    }
}
