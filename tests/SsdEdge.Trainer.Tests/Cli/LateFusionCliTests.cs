using System.Text.Json;
using SsdEdge.Contracts;
using SsdEdge.Numerics;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Runs;
using Xunit;

namespace SsdEdge.Trainer.Tests.Cli;

/// <summary>
/// <c>train --fusion late</c> as a separate trainer process, then the commands that read its run:
/// <c>export</c> with its parity check, <c>predict</c> and <c>distill --stochastic-layers head</c>.
/// </summary>
public sealed class LateFusionCliTests : IDisposable
{
    // Three short synthetic subjects at 128 Hz, four channels (EDA, ECG and two EMG).
    private const string Source = "synthetic:11?subjects=3&duration=100&rate=128";

    private readonly string _directory = Directory.CreateTempSubdirectory("ssdedge-late-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task TrainLate_ThenExportPredictDistill_Succeed()
    {
        var runs = Path.Combine(_directory, "runs");
        var run = Path.Combine(runs, "late");

        var train = await TrainerProcess.RunAsync(
            "train", "--data", Source, "--fusion", "late", "--fusion-hidden", "16", "--fusion-dropout", "0.3",
            "--epochs", "1", "--batch-size", "16", "--validation-fraction", "0", "--seed", "3", "--threads", "1",
            "--device", "cpu", "--runs-dir", runs, "--run-id", "late");
        Assert.True(train.ExitCode == 0, $"train failed: {train.Error}");
        var info = JsonSerializer.Deserialize<RunInfo>(
            File.ReadAllText(Path.Combine(run, "run.json")), SignalContractJson.Options)!;

        var onnx = Path.Combine(_directory, "late.onnx");
        var export = await TrainerProcess.RunAsync("export", "--run", run, "--out", onnx, "--features");
        var input = Path.Combine(_directory, "windows.npy");
        NpyFile.Write(input, new NpyArray([2, 4, info.Model.WindowSamples], new float[2 * 4 * info.Model.WindowSamples]));
        var predictions = Path.Combine(_directory, "predictions");
        var predict = await TrainerProcess.RunAsync("predict", "--run", run, "--input", input, "--out-dir", predictions);
        var distill = await TrainerProcess.RunAsync(
            "distill", "--teacher", run, "--stochastic-layers", "head", "--passes", "3", "--epochs", "1",
            "--batch-size", "16", "--seed", "5", "--threads", "1", "--device", "cpu", "--runs-dir", runs,
            "--run-id", "late-ssd");

        Assert.Equal(PainAttnNetFusion.Late, info.Model.Fusion);
        Assert.Equal(16, info.Model.FusionHiddenUnits);
        Assert.Equal(0.3, info.Model.FusionDropout);
        Assert.Equal(4, info.Model.InputChannels);
        Assert.True(export.ExitCode == 0, $"export failed: {export.Error}");
        Assert.True(File.Exists(onnx), "export wrote no model");
        Assert.Contains("parity:", export.Output, StringComparison.Ordinal);
        Assert.True(predict.ExitCode == 0, $"predict failed: {predict.Error}");
        Assert.Equal([2, 16], NpyFile.Read(Path.Combine(predictions, "features.npy")).Shape);
        Assert.True(distill.ExitCode == 0, $"distill failed: {distill.Error}");
        Assert.True(File.Exists(Path.Combine(runs, "late-ssd", "run.json")), "distill wrote no run");
    }

    [Theory]
    [InlineData("--fusion middle", "--fusion 'middle' is unknown")]
    [InlineData("--fusion-hidden 8", "--fusion-hidden sets the late-fusion head")]
    [InlineData("--fusion-dropout 0.2", "--fusion-dropout sets the late-fusion head")]
    [InlineData("--fusion late --fusion-hidden 0", "--fusion-hidden 0 is invalid")]
    [InlineData("--fusion late --fusion-dropout 1", "--fusion-dropout 1 is invalid")]
    public async Task Train_InvalidFusionOption_ExitsWithTwo(string arguments, string expected)
    {
        string[] command = ["train", "--data", Source, .. arguments.Split(' '), "--runs-dir", _directory];

        var result = await TrainerProcess.RunAsync(command);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
