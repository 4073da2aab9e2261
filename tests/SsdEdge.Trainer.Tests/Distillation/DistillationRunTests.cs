using System.Text.Json;
using SsdEdge.Contracts;
using SsdEdge.Trainer.Cli;
using SsdEdge.Trainer.Distillation;
using SsdEdge.Trainer.Runs;
using SsdEdge.Trainer.Tests.Training;
using SsdEdge.Trainer.Training;
using Xunit;

namespace SsdEdge.Trainer.Tests.Distillation;

[Collection(TorchGlobalStateGroup.Name)]
public sealed class DistillationRunTests : IDisposable
{
    // Three short synthetic subjects at 128 Hz keep the teacher run small.
    private const string Source = "synthetic:11?subjects=3&duration=100&rate=128";

    private readonly string _directory = Directory.CreateTempSubdirectory("ssdedge-distill-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Execute_TinyTeacherRun_WritesExportableStudentRun()
    {
        var teacherLayout = TrainingRun.Execute(
            new TrainRequest
            {
                Source = Source,
                RunsDirectory = _directory,
                RunId = "teacher",
                ValidationFraction = 0.5,
                Training = new TrainingOptions { Epochs = 1, BatchSize = 16, Seed = 2, CpuThreads = 1 },
            },
            TextWriter.Null);
        using var output = new StringWriter();

        var layout = DistillationRun.Execute(
            new DistillRequest
            {
                TeacherRun = "teacher",
                RunsDirectory = _directory,
                RunId = "student",
                Options = new DistillationOptions
                {
                    Passes = 4,
                    Training = new TrainingOptions { Epochs = 1, BatchSize = 16, Seed = 3, CpuThreads = 1 },
                },
            },
            output);

        var teacherInfo = RunLayout.ReadJson<RunInfo>(teacherLayout.RunFile);
        var studentInfo = RunLayout.ReadJson<RunInfo>(layout.RunFile);
        Assert.Equal(
            teacherInfo.Folds.Select(fold => fold.Name),
            studentInfo.Folds.Select(fold => fold.Name));
        Assert.Equal(
            teacherInfo.Folds.SelectMany(fold => fold.TestSubjects),
            studentInfo.Folds.SelectMany(fold => fold.TestSubjects));
        using var report = JsonDocument.Parse(File.ReadAllText(layout.ReportFile));
        var root = report.RootElement;
        Assert.InRange(root.GetProperty("accuracy").GetDouble(), 0, 1);
        Assert.InRange(root.GetProperty("macro_f1").GetDouble(), 0, 1);
        Assert.Equal(teacherInfo.Folds.Count, root.GetProperty("folds").GetArrayLength());
        using var runFile = JsonDocument.Parse(File.ReadAllText(layout.RunFile));
        Assert.Equal("teacher", runFile.RootElement.GetProperty("teacherRunId").GetString());
        var contract = SignalContractJson.Deserialize(File.ReadAllText(layout.ContractFile), layout.ContractFile);
        Assert.Equal("teacher", contract.TeacherRunId);
        Assert.True(File.Exists(layout.HistoryFile), "history.csv is missing");
        Assert.True(File.Exists(layout.MarkdownReportFile), "report.md is missing");
        Assert.Contains("stochastic layers 'encoder'", output.ToString(), StringComparison.Ordinal);

        var parity = ExportCommand.Execute(
            new ExportRequest(layout.Directory, Path.Combine(_directory, "student.onnx")),
            TextWriter.Null);

        Assert.True(File.Exists(Path.Combine(_directory, "student.onnx")), "export wrote no ONNX file");
        Assert.NotNull(parity);
    }

    [Fact]
    public void Execute_MissingTeacherRun_Throws()
    {
        var request = new DistillRequest
        {
            TeacherRun = "absent",
            RunsDirectory = _directory,
            Options = new DistillationOptions(),
        };

        var error = Assert.Throws<DirectoryNotFoundException>(() => DistillationRun.Execute(request, TextWriter.Null));

        Assert.Contains("absent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_IdenticalPasses_RemovesNewRunDirectory()
    {
        TrainTeacher();
        var student = Path.Combine(_directory, "student");

        var error = Assert.Throws<InvalidOperationException>(
            () => DistillationRun.Execute(RateZeroRequest(), TextWriter.Null));

        Assert.Contains("at --dropout-rate 0.", error.Message, StringComparison.Ordinal);
        Assert.Contains($"No fold was written, so the run directory {student} was removed.", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(student), "the failed run left its directory behind");
    }

    [Fact]
    public void Execute_IdenticalPassesExistingDirectory_KeepsIt()
    {
        TrainTeacher();
        var student = Directory.CreateDirectory(Path.Combine(_directory, "student")).FullName;

        var error = Assert.Throws<InvalidOperationException>(
            () => DistillationRun.Execute(RateZeroRequest(), TextWriter.Null));

        Assert.Contains($"The run directory {student} is incomplete", error.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(student), "a directory that existed before the run was removed");
    }

    private void TrainTeacher() =>
        TrainingRun.Execute(
            new TrainRequest
            {
                Source = Source,
                RunsDirectory = _directory,
                RunId = "teacher",
                ValidationFraction = 0.5,
                Training = new TrainingOptions { Epochs = 1, BatchSize = 16, Seed = 2, CpuThreads = 1 },
            },
            TextWriter.Null);

    // Dropout rate 0 on every encoder module, attention included, makes every teacher pass the
    // eval-mode forward, so the first batch fails.
    private DistillRequest RateZeroRequest() =>
        new()
        {
            TeacherRun = "teacher",
            RunsDirectory = _directory,
            RunId = "student",
            Options = new DistillationOptions
            {
                Passes = 2,
                DropoutRate = 0,
                Training = new TrainingOptions { Epochs = 1, BatchSize = 16, Seed = 3, CpuThreads = 1 },
            },
        };
}
