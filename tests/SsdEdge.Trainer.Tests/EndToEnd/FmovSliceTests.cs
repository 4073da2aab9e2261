using System.Text.Json;
using SsdEdge.Contracts;
using SsdEdge.Datasets;
using SsdEdge.EdgeAgent;
using SsdEdge.Preprocessing;
using SsdEdge.Streaming;
using SsdEdge.Tests;
using SsdEdge.Trainer.Cli;
using SsdEdge.Trainer.Runs;
using SsdEdge.Trainer.Tests.Training;
using SsdEdge.Trainer.Training;
using Xunit;

namespace SsdEdge.Trainer.Tests.EndToEnd;

/// <summary>
/// The whole chain on real FMOV recordings: train with a subject held out, export to ONNX, replay
/// the held-out subject through the agent, and compare the agent's probabilities with the trainer's.
/// </summary>
[Collection(TorchGlobalStateGroup.Name)]
public sealed class FmovSliceTests : IDisposable
{
    private const string HeldOutSubject = "subject09";
    private const double Tolerance = 1e-4;

    private readonly string _workDirectory =
        Directory.CreateTempSubdirectory("ssdedge-slice-").FullName;

    public void Dispose() => Directory.Delete(_workDirectory, recursive: true);

    [Fact]
    public async Task TrainExportReplay_HeldOutSubject_AgentMatchesTrainer()
    {
        var fmov = TestData.PathOf("fmov");
        var recordingFile = Path.Combine(fmov, $"{HeldOutSubject}_100hz.tsv.gz");

        // Train briefly with the held-out subject never seen.
        var layout = TrainingRun.Execute(
            new TrainRequest
            {
                Source = $"fmov:{fmov}",
                RunsDirectory = _workDirectory,
                RunId = "slice",
                TestSubjects = [HeldOutSubject],
                ValidationFraction = 0.2,
                Training = new TrainingOptions { Epochs = 1, BatchSize = 32, Seed = 3, CpuThreads = 1 },
            },
            TextWriter.Null);

        // Export; the command itself fails unless ONNX Runtime matches TorchSharp.
        var onnxPath = Path.Combine(_workDirectory, "slice.onnx");
        var parity = ExportCommand.Execute(new ExportRequest(layout.Directory, onnxPath), TextWriter.Null);

        // Replay the held-out recording through the agent, as fast as possible.
        var outputPath = Path.Combine(_workDirectory, "windows.jsonl");
        var exitCode = await AgentProgram.RunAsync(
            AgentTestArguments.Isolated(
                _workDirectory, "--model", onnxPath, "--replay", $"fmov:{recordingFile}", "--output", outputPath),
            TextWriter.Null,
            TextWriter.Null,
            TestContext.Current.CancellationToken);
        var agentWindows = ReadAgentWindows(outputPath);

        // The trainer's view of the same windows: same cut, same preprocessing, TorchSharp model.
        var contract = OnnxContractReader.ReadContract(onnxPath);
        var recording = FmovReader.Read(recordingFile).Recordings[0];
        var preprocessor = new WindowPreprocessor(contract, recording.SamplingRateHz);
        var inputs = CutAndPreprocess(recording, contract, preprocessor, agentWindows);
        using var model = ModelCheckpoint.Load(layout.ModelFile);
        var trainerProbabilities = new Predictor(model).Predict(inputs).Probabilities;

        var hopSamples = (int)Math.Round(recording.SamplingRateHz); // the agent's default hop is 1 s
        var expectedWindows = StreamingWindower.WindowStarts(
            recording.Length,
            preprocessor.RawWindowSamples,
            hopSamples);
        Assert.True(parity.Passed);
        Assert.Equal(0, exitCode);
        Assert.Equal(expectedWindows.Length, agentWindows.Count);
        var agentProbabilities = agentWindows.SelectMany(window => window.Probabilities).ToArray();
        Assert.Equal(trainerProbabilities.Length, agentProbabilities.Length);
        var maxDifference = trainerProbabilities.Zip(agentProbabilities, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDifference <= Tolerance, $"agent and trainer differ by {maxDifference:G3}");
        Assert.True(File.Exists(layout.ReportFile));
        using var report = JsonDocument.Parse(File.ReadAllText(layout.ReportFile));
        Assert.InRange(report.RootElement.GetProperty("accuracy").GetDouble(), 0, 1);
        Assert.InRange(report.RootElement.GetProperty("macro_f1").GetDouble(), 0, 1);
    }

    private static float[] CutAndPreprocess(
        SsdEdge.Signals.Recording recording,
        SignalContract contract,
        WindowPreprocessor preprocessor,
        IReadOnlyList<AgentWindow> windows)
    {
        var raw = preprocessor.RawWindowSamples;
        var channelIndices = contract.Channels.Select(channel => recording.IndexOfChannel(channel.Name)).ToArray();
        var rawWindow = new float[channelIndices.Length * raw];
        var modelWindow = channelIndices.Length * preprocessor.ModelWindowSamples;
        var inputs = new float[windows.Count * modelWindow];
        for (var w = 0; w < windows.Count; w++)
        {
            var start = (int)(windows[w].EndSample - raw);
            for (var c = 0; c < channelIndices.Length; c++)
            {
                recording.Samples[channelIndices[c]].AsSpan(start, raw).CopyTo(rawWindow.AsSpan(c * raw, raw));
            }

            var quality = preprocessor.Process(rawWindow, inputs.AsSpan(w * modelWindow, modelWindow));
            Assert.True(quality.Accepted, $"window ending at {windows[w].EndSample} was rejected: {quality.Issues}");
        }

        return inputs;
    }

    private static List<AgentWindow> ReadAgentWindows(string path)
    {
        var windows = new List<AgentWindow>();
        foreach (var line in File.ReadLines(path))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            Assert.True(root.GetProperty("accepted").GetBoolean(), $"agent skipped a window: {line}");
            var probabilities = root.GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle()).ToArray();
            windows.Add(new AgentWindow(root.GetProperty("endSample").GetInt64(), probabilities));
        }

        return windows;
    }

    private sealed record AgentWindow(long EndSample, float[] Probabilities);
}
