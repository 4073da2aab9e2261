using System.Text.Json.Nodes;
using Xunit;

namespace SsdEdge.Trainer.Tests.Cli;

/// <summary>
/// Trains folds as separate trainer processes into one run directory, as cluster jobs do, and
/// merges them with <c>ssdedge-trainer merge</c>. Every process trains on one CPU thread, so
/// training is bit-reproducible across processes and the reports can be compared byte for byte.
/// </summary>
public sealed class MergeCommandTests(MergeCommandTests.TwoFoldRun trained)
    : IClassFixture<MergeCommandTests.TwoFoldRun>, IDisposable
{
    // Four short synthetic subjects at 128 Hz give two folds of two test subjects each.
    private const string Source = "synthetic:11?subjects=4&duration=100&rate=128";
    private const string SecondFold = "kfold-2of2";

    private static readonly string[] Settings =
    [
        "--data", Source, "--folds", "kfold:2", "--epochs", "2", "--batch-size", "16", "--seed", "3",
        "--validation-fraction", "0.5", "--threads", "1", "--device", "cpu",
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("ssdedge-merge-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task FoldJobs_Merged_EqualSingleProcessRun()
    {
        var shared = Path.Combine(_directory, "shared");

        // Both fold jobs at once, into one runs folder, without --run-id.
        var jobs = await Task.WhenAll(
            TrainerProcess.RunAsync([.. Train(shared), "--fold", "1"]),
            TrainerProcess.RunAsync([.. Train(shared), "--fold", SecondFold]));
        var runs = Directory.GetDirectories(shared);
        var run = Assert.Single(runs);
        var runId = Path.GetFileName(run);
        var filesBeforeMerge = Directory.GetFiles(run);
        var merge = await TrainerProcess.RunAsync("merge", run);
        var single = await TrainerProcess.RunAsync([.. Train(Path.Combine(_directory, "single")), "--run-id", runId]);

        Assert.True(jobs[0].ExitCode == 0, $"fold 1 failed: {jobs[0].Error}");
        Assert.True(jobs[1].ExitCode == 0, $"fold 2 failed: {jobs[1].Error}");
        Assert.Empty(filesBeforeMerge);
        Assert.True(merge.ExitCode == 0, $"merge failed: {merge.Error}");
        Assert.True(single.ExitCode == 0, $"single-process run failed: {single.Error}");
        var singleRun = Path.Combine(_directory, "single", runId);
        Assert.Equal(
            File.ReadAllText(Path.Combine(singleRun, "report.json")),
            File.ReadAllText(Path.Combine(run, "report.json")));
        foreach (var file in new[] { "report.md", "run.json", "contract.json", "history.csv", "learning-curves.png" })
        {
            Assert.True(File.Exists(Path.Combine(run, file)), $"merge did not write {file}");
        }

        Assert.Equal(
            HistoryWithoutSeconds(Path.Combine(singleRun, "history.csv")),
            HistoryWithoutSeconds(Path.Combine(run, "history.csv")));
    }

    [Fact]
    public async Task Merge_Twice_SameReport()
    {
        var run = CopyTrainedRun();
        var trained = File.ReadAllText(Path.Combine(run, "report.json"));

        var first = await TrainerProcess.RunAsync("merge", run);
        var afterFirst = File.ReadAllText(Path.Combine(run, "report.json"));
        var second = await TrainerProcess.RunAsync("merge", run);
        var afterSecond = File.ReadAllText(Path.Combine(run, "report.json"));

        Assert.True(first.ExitCode == 0, $"first merge failed: {first.Error}");
        Assert.True(second.ExitCode == 0, $"second merge failed: {second.Error}");
        Assert.Equal(trained, afterFirst);
        Assert.Equal(trained, afterSecond);
    }

    [Fact]
    public async Task Merge_MissingFold_NamesFold()
    {
        var run = CopyTrainedRun();
        File.Delete(PartFile(run, SecondFold));

        var result = await TrainerProcess.RunAsync("merge", run);

        AssertCleanFailure(result, $"missing 1 of 2 folds: {SecondFold} (--fold 2)");
    }

    [Theory]
    [InlineData("settings.training.seed", "9", "training.seed is 9")]
    [InlineData("settings.validationFraction", "0.25", "validationFraction is 0.25")]
    [InlineData("settings.data", "\"15 windows, SHA-256 0\"", "data is \"15 windows, SHA-256 0\"")]
    [InlineData("settings.producerVersion", "\"0.0.1-other\"", "producerVersion is \"0.0.1-other\"")]
    [InlineData("runId", "\"another-run\"", "same --run-id")]
    public async Task Merge_MismatchedPart_NamesSettingAndFold(string path, string value, string expected)
    {
        var run = CopyTrainedRun();
        var part = PartFile(run, SecondFold);
        var json = JsonNode.Parse(File.ReadAllText(part))!;
        var keys = path.Split('.');
        var parent = keys[..^1].Aggregate(json, (node, key) => node[key]!);
        parent[keys[^1]] = JsonNode.Parse(value);
        File.WriteAllText(part, json.ToJsonString());

        var result = await TrainerProcess.RunAsync("merge", run);

        AssertCleanFailure(result, expected);
        Assert.Contains($"Fold {SecondFold}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merge_OtherEpochs_SaysHowToRetrain()
    {
        var run = CopyTrainedRun();
        var part = PartFile(run, SecondFold);
        var json = JsonNode.Parse(File.ReadAllText(part))!;
        json["settings"]!["training"]!["epochs"] = 1;
        File.WriteAllText(part, json.ToJsonString());

        var result = await TrainerProcess.RunAsync("merge", run);

        AssertCleanFailure(result, "training.epochs is 1 in fold kfold-2of2 but 2 in fold kfold-1of2. To retrain");
        Assert.Contains($"delete its folder {Path.Combine(run, "folds", SecondFold)}", result.Error, StringComparison.Ordinal);
        Assert.Contains("with --fold 2 and --epochs 2;", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("with the settings of the other folds", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", "is not a valid part file")]
    [InlineData("", "is not a valid part file")]
    [InlineData("{\"formatVersion\": 2}", "part format version 2")]
    [InlineData("{\"runId\": \"x\"}", "missing required properties")]
    public async Task Merge_CorruptPart_NamesFile(string content, string expected)
    {
        var run = CopyTrainedRun();
        File.WriteAllText(PartFile(run, SecondFold), content);

        var result = await TrainerProcess.RunAsync("merge", run);

        AssertCleanFailure(result, expected);
        Assert.Contains($"{SecondFold}/part.json", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merge_TruncatedPredictions_Rejected()
    {
        var run = CopyTrainedRun();
        var part = PartFile(run, SecondFold);
        var json = JsonNode.Parse(File.ReadAllText(part))!;
        json["outcome"]!["selectedPredictions"]!.AsArray().RemoveAt(0);
        File.WriteAllText(part, json.ToJsonString());

        var result = await TrainerProcess.RunAsync("merge", run);

        AssertCleanFailure(result, "is not a complete part file");
    }

    [Fact]
    public async Task Merge_NoFolds_ExitsWithOneMessage()
    {
        var run = Directory.CreateDirectory(Path.Combine(_directory, "empty")).FullName;

        var result = await TrainerProcess.RunAsync("merge", run);

        AssertCleanFailure(result, "no folds folder");
    }

    [Fact]
    public async Task Train_UnknownFold_ExitsWithOneMessage()
    {
        var result = await TrainerProcess.RunAsync([.. Train(_directory), "--fold", "3"]);

        AssertCleanFailure(result, "has no fold '3'", exitCode: 2);
        Assert.Empty(Directory.GetDirectories(_directory));
    }

    [Fact]
    public async Task Train_FoldResumeWithoutRun_StartsFold()
    {
        var runs = Path.Combine(_directory, "runs");

        var result = await TrainerProcess.RunAsync([.. Train(runs), "--run-id", "fresh", "--fold", "1", "--resume"]);

        Assert.True(result.ExitCode == 0, $"a first attempt with --resume failed: {result.Error}");
        Assert.True(File.Exists(PartFile(Path.Combine(runs, "fresh"), "kfold-1of2")), "fold 1 wrote no part");
    }

    private static string[] Train(string runsDirectory) => ["train", .. Settings, "--runs-dir", runsDirectory];

    // A copy of the fixture's run, for a test to merge or damage.
    private string CopyTrainedRun()
    {
        var copy = Path.Combine(_directory, "two-folds");
        CopyDirectory(trained.Directory, copy);
        return copy;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(from))
        {
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }

    private static string PartFile(string run, string fold) => Path.Combine(run, "folds", fold, "part.json");

    // The last column is each epoch's wall time, which differs between any two runs.
    private static string[] HistoryWithoutSeconds(string path) =>
        File.ReadAllLines(path).Select(line => line[..line.LastIndexOf(',')]).ToArray();

    private static void AssertCleanFailure(TrainerResult result, string expected, int exitCode = 1)
    {
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    /// <summary>A two-fold run trained once by one trainer process, shared by the tests of the class.</summary>
    public sealed class TwoFoldRun : IAsyncLifetime
    {
        private readonly string _runs = System.IO.Directory.CreateTempSubdirectory("ssdedge-merge-run-").FullName;

        /// <summary>The run directory.</summary>
        public string Directory => Path.Combine(_runs, "two-folds");

        public async ValueTask InitializeAsync()
        {
            var result = await TrainerProcess.RunAsync([.. Train(_runs), "--run-id", "two-folds"]);
            Assert.True(result.ExitCode == 0, $"training failed: {result.Error}");
        }

        public ValueTask DisposeAsync()
        {
            System.IO.Directory.Delete(_runs, recursive: true);
            return ValueTask.CompletedTask;
        }
    }
}
