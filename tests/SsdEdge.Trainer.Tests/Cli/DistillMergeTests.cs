using System.Text.Json.Nodes;
using Xunit;

namespace SsdEdge.Trainer.Tests.Cli;

/// <summary>
/// Distils the folds of a teacher run as separate trainer processes, as cluster jobs do, and
/// merges them with <c>ssdedge-trainer merge</c>. Every process runs on one CPU thread, so the
/// merged report can be compared byte for byte with a single-process distillation.
/// </summary>
public sealed class DistillMergeTests(DistillMergeTests.TwoFoldTeacher teacher)
    : IClassFixture<DistillMergeTests.TwoFoldTeacher>, IDisposable
{
    // Four short synthetic subjects at 128 Hz give two folds of two test subjects each.
    private const string Source = "synthetic:12?subjects=4&duration=100&rate=128";
    private const string SecondFold = "kfold-2of2";

    private static readonly string[] TrainSettings =
    [
        "--data", Source, "--folds", "kfold:2", "--epochs", "1", "--batch-size", "16", "--seed", "3",
        "--validation-fraction", "0.5", "--threads", "1", "--device", "cpu",
    ];

    private static readonly string[] DistillSettings =
    [
        "--epochs", "2", "--passes", "3", "--batch-size", "16", "--seed", "5", "--threads", "1", "--device", "cpu",
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("ssdedge-distill-merge-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task DistillFoldJobs_Merged_EqualSingleProcessDistill()
    {
        var shared = Path.Combine(_directory, "shared");

        // Both fold jobs at once, into one runs folder, without --run-id.
        var jobs = await Task.WhenAll(
            TrainerProcess.RunAsync([.. Distill(teacher.Directory, shared), "--fold", "1"]),
            TrainerProcess.RunAsync([.. Distill(teacher.Directory, shared), "--fold", SecondFold]));
        var runs = Directory.GetDirectories(shared);
        var run = Assert.Single(runs);
        var runId = Path.GetFileName(run);
        var filesBeforeMerge = Directory.GetFiles(run);
        var merge = await TrainerProcess.RunAsync("merge", run);
        var single = await TrainerProcess.RunAsync(
            [.. Distill(teacher.Directory, Path.Combine(_directory, "single")), "--run-id", runId]);

        Assert.True(jobs[0].ExitCode == 0, $"fold 1 failed: {jobs[0].Error}");
        Assert.True(jobs[1].ExitCode == 0, $"fold 2 failed: {jobs[1].Error}");
        Assert.StartsWith("two-fold-teacher-ssd-", runId, StringComparison.Ordinal);
        Assert.Empty(filesBeforeMerge);
        Assert.True(merge.ExitCode == 0, $"merge failed: {merge.Error}");
        Assert.True(single.ExitCode == 0, $"single-process distillation failed: {single.Error}");
        var singleRun = Path.Combine(_directory, "single", runId);
        Assert.Equal(
            File.ReadAllText(Path.Combine(singleRun, "report.json")),
            File.ReadAllText(Path.Combine(run, "report.json")));
        Assert.Equal(RunFileWithoutTime(singleRun), RunFileWithoutTime(run));
        var merged = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!;
        Assert.Equal("two-fold-teacher", merged["teacherRunId"]!.GetValue<string>());
        Assert.Equal(3, merged["distillation"]!["passes"]!.GetValue<int>());
        var contract = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "contract.json")))!;
        Assert.Equal("two-fold-teacher", contract["teacherRunId"]!.GetValue<string>());
        var part = JsonNode.Parse(File.ReadAllText(PartFile(run, SecondFold)))!;
        Assert.Equal("distill", part["kind"]!.GetValue<string>());
        Assert.Equal("two-fold-teacher", part["settings"]!["distillation"]!["teacherRunId"]!.GetValue<string>());
    }

    [Fact]
    public async Task DistillFold_TeacherWithOnlyThatFold_WritesPart()
    {
        var teacherRuns = Path.Combine(_directory, "teachers");
        var partialTeacher = await TrainerProcess.RunAsync(
            ["train", .. TrainSettings, "--runs-dir", teacherRuns, "--run-id", "partial", "--fold", "1"]);
        var students = Path.Combine(_directory, "students");

        var fold = await TrainerProcess.RunAsync(
            [.. Distill(Path.Combine(teacherRuns, "partial"), students), "--run-id", "student", "--fold", "1"]);
        var missingFold = await TrainerProcess.RunAsync(
            [.. Distill(Path.Combine(teacherRuns, "partial"), students), "--run-id", "student", "--fold", "2"]);
        var whole = await TrainerProcess.RunAsync(
            [.. Distill(Path.Combine(teacherRuns, "partial"), students), "--run-id", "whole"]);

        Assert.True(partialTeacher.ExitCode == 0, $"teacher fold failed: {partialTeacher.Error}");
        Assert.True(fold.ExitCode == 0, $"distilling the trained fold failed: {fold.Error}");
        Assert.True(File.Exists(PartFile(Path.Combine(students, "student"), "kfold-1of2")), "fold 1 wrote no part");
        AssertCleanFailure(missingFold, $"Fold {SecondFold} of teacher run partial has no part.json yet");
        AssertCleanFailure(whole, "run.json is missing");
    }

    [Fact]
    public async Task Merge_TrainAndDistillParts_Rejected()
    {
        var students = Path.Combine(_directory, "students");
        var fold = await TrainerProcess.RunAsync(
            [.. Distill(teacher.Directory, students), "--run-id", "student", "--fold", SecondFold]);
        var mixed = Path.Combine(_directory, "mixed");
        CopyDirectory(teacher.Directory, mixed);
        File.Copy(PartFile(Path.Combine(students, "student"), SecondFold), PartFile(mixed, SecondFold), overwrite: true);

        var merge = await TrainerProcess.RunAsync("merge", mixed);

        Assert.True(fold.ExitCode == 0, $"distilling fold 2 failed: {fold.Error}");
        AssertCleanFailure(merge, $"Fold {SecondFold} was written by 'distill' but fold kfold-1of2 by 'train'");
    }

    private static string[] Distill(string teacherRun, string runsDirectory) =>
        ["distill", "--teacher", teacherRun, .. DistillSettings, "--runs-dir", runsDirectory];

    private static string PartFile(string run, string fold) => Path.Combine(run, "folds", fold, "part.json");

    // run.json without createdUtc, which is the time the run files were written.
    private static string RunFileWithoutTime(string run)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!.AsObject();
        node.Remove("createdUtc");
        return node.ToJsonString();
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

    private static void AssertCleanFailure(TrainerResult result, string expected)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    /// <summary>A two-fold teacher run trained once by one trainer process, shared by the tests of the class.</summary>
    public sealed class TwoFoldTeacher : IAsyncLifetime
    {
        private readonly string _runs = System.IO.Directory.CreateTempSubdirectory("ssdedge-distill-teacher-").FullName;

        /// <summary>The teacher run directory.</summary>
        public string Directory => Path.Combine(_runs, "two-fold-teacher");

        public async ValueTask InitializeAsync()
        {
            var result = await TrainerProcess.RunAsync(
                ["train", .. TrainSettings, "--runs-dir", _runs, "--run-id", "two-fold-teacher"]);
            Assert.True(result.ExitCode == 0, $"teacher training failed: {result.Error}");
        }

        public ValueTask DisposeAsync()
        {
            System.IO.Directory.Delete(_runs, recursive: true);
            return ValueTask.CompletedTask;
        }
    }
}
