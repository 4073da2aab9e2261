using System.Globalization;
using System.Text;
using System.Text.Json;
using SsdEdge.Contracts;
using SsdEdge.Datasets;
using SsdEdge.Numerics;
using SsdEdge.Signals;
using SsdEdge.Streaming;
using SsdEdge.Trainer.Cli;
using SsdEdge.Trainer.Runs;
using SsdEdge.Trainer.Tests.Training;
using SsdEdge.Trainer.Training;
using Xunit;

namespace SsdEdge.Trainer.Tests.Runs;

/// <summary>
/// Training on a folder of CSV recordings: four subjects, two files each, with the subject and the
/// class taken from the file names and the EDA column renamed to the model's channel.
/// </summary>
[Collection(TorchGlobalStateGroup.Name)]
public sealed class CsvFolderTrainingTests : IDisposable
{
    private const double RateHz = 128;
    private const int FileSeconds = 30;

    private readonly string _directory = Directory.CreateTempSubdirectory("ssdedge-csv-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TrainLoso_CsvFolder_OneFoldPerSubject()
    {
        var data = WriteFolder();
        var source = $"csv:{data}?rate=128&columns=eda:EDA_uS&subject=^(s\\d+)_&labels=file:_(pain|nopain)\\.csv$";

        var layout = TrainingRun.Execute(
            new TrainRequest
            {
                Source = source,
                RunsDirectory = _directory,
                RunId = "csv-loso",
                Folds = FoldPlan.Parse("loso"),
                ValidationFraction = 0.5,
                Training = new TrainingOptions { Epochs = 1, BatchSize = 16, Seed = 3, CpuThreads = 1 },
            },
            TextWriter.Null);

        var info = JsonSerializer.Deserialize<RunInfo>(File.ReadAllText(layout.RunFile), SignalContractJson.Options)!;
        using var report = JsonDocument.Parse(File.ReadAllText(layout.ReportFile));
        var folds = report.RootElement.GetProperty("folds").EnumerateArray().ToArray();
        var contract = SignalContractJson.Deserialize(File.ReadAllText(layout.ContractFile), layout.ContractFile);
        Assert.Equal(4, folds.Length);
        Assert.Equal(4, info.Folds.Count);
        Assert.Equal(["s01", "s02", "s03", "s04"], info.Folds.Select(fold => Assert.Single(fold.TestSubjects)).Order());
        Assert.All(info.Folds, fold => Assert.DoesNotContain(fold.TestSubjects[0], fold.TrainSubjects));
        Assert.All(folds, fold => Assert.True(fold.GetProperty("test_windows").GetInt32() > 0));
        Assert.Equal(["nopain", "pain"], contract.ClassLabels);
        Assert.Equal("eda", contract.Channels[0].Name);
    }

    [Fact]
    public void WindowsSliding_OneCsvFile_CutsAgentGrid()
    {
        var data = WriteFolder();
        var layout = TrainingRun.Execute(
            new TrainRequest
            {
                Source = $"csv:{data}?rate=128&columns=eda:EDA_uS&subject=^(s\\d+)_&labels=file:_(pain|nopain)\\.csv$",
                RunsDirectory = _directory,
                RunId = "csv-holdout",
                TestSubjects = ["s04"],
                ValidationFraction = 0,
                Training = new TrainingOptions { Epochs = 1, BatchSize = 16, Seed = 3, CpuThreads = 1 },
            },
            TextWriter.Null);
        var onnxPath = Path.Combine(_directory, "csv.onnx");
        ExportCommand.Execute(new ExportRequest(layout.Directory, onnxPath), TextWriter.Null);
        var file = Path.Combine(data, "s04_pain.csv");
        var outDir = Path.Combine(_directory, "sliding");

        WindowsCommand.ExecuteSliding(
            $"csv:{file}?rate=128&columns=eda:EDA_uS",
            outDir,
            [],
            hopSeconds: 1,
            modelPath: onnxPath,
            TextWriter.Null);

        var contract = OnnxContractReader.ReadContract(onnxPath);
        var inputs = NpyFile.Read(Path.Combine(outDir, "inputs.npy"));
        var origins = File.ReadAllLines(Path.Combine(outDir, "origins.csv")).Skip(1).ToArray();
        var rawWindow = (int)Math.Round(5.5 * RateHz);
        var grid = StreamingWindower.WindowStarts((long)(FileSeconds * RateHz), rawWindow, (int)RateHz);
        Assert.Equal([grid.Length, contract.Channels.Count, 2816], inputs.Shape);
        Assert.Equal("eda", contract.Channels[0].Name);
        Assert.Equal(grid.Length, origins.Length);
        Assert.All(origins, origin => Assert.StartsWith("s04_pain,", origin, StringComparison.Ordinal));
        Assert.All(inputs.Data, value => Assert.True(float.IsFinite(value)));
    }

    /// <summary>
    /// Writes four synthetic subjects as CSV files: the first 30 s of each as <c>sNN_nopain.csv</c>,
    /// the next 30 s as <c>sNN_pain.csv</c>, with the EDA column named <c>EDA_uS</c>.
    /// </summary>
    private string WriteFolder()
    {
        var folder = Path.Combine(_directory, "recordings");
        Directory.CreateDirectory(folder);
        var recordings = RecordingFiles
            .Read(string.Create(CultureInfo.InvariantCulture, $"synthetic:5?subjects=4&duration={2 * FileSeconds}&rate={RateHz}"))
            .Recordings;
        var fileSamples = (int)(FileSeconds * RateHz);
        for (var s = 0; s < recordings.Count; s++)
        {
            var subject = string.Create(CultureInfo.InvariantCulture, $"s{s + 1:00}");
            WriteCsv(Path.Combine(folder, subject + "_nopain.csv"), recordings[s], 0, fileSamples);
            WriteCsv(Path.Combine(folder, subject + "_pain.csv"), recordings[s], fileSamples, fileSamples);
        }

        return folder;
    }

    private static void WriteCsv(string path, Recording recording, int start, int count)
    {
        var header = recording.Channels.Select(channel => channel.Name == "eda" ? "EDA_uS" : channel.Name);
        var text = new StringBuilder(string.Join(',', header)).Append('\n');
        for (var t = start; t < start + count; t++)
        {
            for (var c = 0; c < recording.Channels.Count; c++)
            {
                text.Append(c == 0 ? "" : ",")
                    .Append(recording.Samples[c][t].ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }
}
