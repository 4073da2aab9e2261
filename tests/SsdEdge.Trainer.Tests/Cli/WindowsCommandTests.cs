using SsdEdge.Numerics;
using SsdEdge.Trainer.Cli;
using SsdEdge.Trainer.Runs;
using SsdEdge.Trainer.Tests.Training;
using SsdEdge.Trainer.Training;
using Xunit;

namespace SsdEdge.Trainer.Tests.Cli;

[Collection(TorchGlobalStateGroup.Name)]
public sealed class WindowsCommandTests : IDisposable
{
    private const string Source = "synthetic:11?subjects=3&duration=100&rate=128";

    private readonly string _directory = Directory.CreateTempSubdirectory("ssdedge-windows-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TrainWindowsPredict_HeldOutSubject_PredictsEveryWindow()
    {
        var layout = TrainingRun.Execute(
            new TrainRequest
            {
                Source = Source,
                RunsDirectory = _directory,
                RunId = "small",
                TestSubjects = ["synth03"],
                ValidationFraction = 0,
                Training = new TrainingOptions { Epochs = 1, BatchSize = 16, Seed = 4, CpuThreads = 1 },
            },
            TextWriter.Null);
        var windowsDirectory = Path.Combine(_directory, "windows");

        WindowsCommand.Execute(Source, windowsDirectory, ["synth03"], TextWriter.Null);
        PredictCommand.Execute(
            layout.ModelFile,
            Path.Combine(windowsDirectory, "inputs.npy"),
            Path.Combine(_directory, "predictions"),
            TextWriter.Null);

        var inputs = NpyFile.Read(Path.Combine(windowsDirectory, "inputs.npy"));
        var labels = NpyFile.Read(Path.Combine(windowsDirectory, "labels.npy"));
        var subjects = File.ReadAllLines(Path.Combine(windowsDirectory, "subjects.txt"));
        var probabilities = NpyFile.Read(Path.Combine(_directory, "predictions", "probabilities.npy"));
        Assert.Equal([4, 2816], inputs.Shape[1..]);
        Assert.Equal(inputs.Shape[0], labels.Shape[0]);
        Assert.All(subjects, subject => Assert.Equal("synth03", subject));
        Assert.Equal([inputs.Shape[0], 2], probabilities.Shape);
        for (var window = 0; window < inputs.Shape[0]; window++)
        {
            Assert.Equal(1.0, probabilities.Data[2 * window] + probabilities.Data[(2 * window) + 1], 5);
        }
    }

    [Fact]
    public void Execute_UnknownSubject_ThrowsListingKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(
            () => WindowsCommand.Execute(Source, Path.Combine(_directory, "none"), ["nobody"], TextWriter.Null));

        Assert.Contains("nobody", error.Message, StringComparison.Ordinal);
        Assert.Contains("synth01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExecuteSliding_SyntheticSubject_CutsAgentGrid()
    {
        var outDir = Path.Combine(_directory, "sliding");

        WindowsCommand.ExecuteSliding(Source, outDir, ["synth02"], hopSeconds: 1, modelPath: null, TextWriter.Null);

        var recording = SsdEdge.Datasets.RecordingFiles.Read(Source).Recordings.Single(r => r.SubjectId == "synth02");
        var rawWindow = (int)Math.Round(5.5 * recording.SamplingRateHz);
        var grid = SsdEdge.Streaming.StreamingWindower.WindowStarts(recording.Length, rawWindow, (int)recording.SamplingRateHz);
        var origins = File.ReadAllLines(Path.Combine(outDir, "origins.csv")).Skip(1).Select(line => line.Split(',')).ToArray();
        var inputs = NpyFile.Read(Path.Combine(outDir, "inputs.npy"));
        var labels = NpyFile.Read(Path.Combine(outDir, "labels.npy"));
        Assert.Equal(grid.Length, origins.Length);
        Assert.Equal(grid.Select(start => start.ToString(System.Globalization.CultureInfo.InvariantCulture)), origins.Select(fields => fields[1]));
        Assert.All(origins, fields => Assert.Equal(rawWindow.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[2]));
        Assert.Equal([grid.Length, 4, 2816], inputs.Shape);
        Assert.All(labels.Data, label => Assert.Equal(-1f, label));
    }

    [Fact]
    public void ExecuteSliding_ZeroHop_ThrowsNamingOption()
    {
        var error = Assert.Throws<ArgumentException>(
            () => WindowsCommand.ExecuteSliding(Source, Path.Combine(_directory, "none"), [], 0, null, TextWriter.Null));

        Assert.Contains("--hop-seconds", error.Message, StringComparison.Ordinal);
    }
}
