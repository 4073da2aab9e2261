using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using SsdEdge.Tests;
using Xunit;

namespace SsdEdge.Trainer.Tests.Export;

/// <summary>
/// Side-by-side latency of the exported graph and PyTorch's own export of the same weights, at
/// batch 1 on one intra-op thread. It only reports; speed depends on the machine, so nothing about
/// it is asserted. Runs when <c>SSDEDGE_RUN_BENCHMARKS=1</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class OnnxLatencyBenchmarkTests
{
    private const int WarmupRuns = 30;
    private const int MeasuredRuns = 300;

    [Theory]
    [InlineData(GraphOptimizationLevel.ORT_ENABLE_ALL)]
    [InlineData(GraphOptimizationLevel.ORT_DISABLE_ALL)]
    public void Latency_ExportedVsPyTorchExport_PrintsMedians(GraphOptimizationLevel level)
    {
        if (Environment.GetEnvironmentVariable("SSDEDGE_RUN_BENCHMARKS") != "1")
        {
            Assert.Skip("Set SSDEDGE_RUN_BENCHMARKS=1 to run latency benchmarks.");
        }

        var ours = ReferenceModel.Export();
        var theirs = File.ReadAllBytes(TestData.PathOf("reference/painattnnet_reference_pytorch_export.onnx"));
        var window = ReferenceModel.ReadTensor("input.npy").Data.AsSpan(0, 2816).ToArray();

        using var oursRunner = new SingleWindowRunner(ours, level, window);
        using var theirsRunner = new SingleWindowRunner(theirs, level, window);
        for (var i = 0; i < WarmupRuns; i++)
        {
            oursRunner.Run();
            theirsRunner.Run();
        }

        // Alternate the two models so that drift in machine load affects both alike.
        var oursTimes = new double[MeasuredRuns];
        var theirsTimes = new double[MeasuredRuns];
        for (var i = 0; i < MeasuredRuns; i++)
        {
            oursTimes[i] = oursRunner.Run();
            theirsTimes[i] = theirsRunner.Run();
        }

        var report = string.Create(
            CultureInfo.InvariantCulture,
            $"{level}, batch 1, 1 intra-op thread, median of {MeasuredRuns}: exported {Median(oursTimes):F3} ms, "
            + $"PyTorch export {Median(theirsTimes):F3} ms");
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Console.WriteLine(report);
        Assert.True(double.IsFinite(oursRunner.LastLogit), "The exported model returned a non-finite logit.");
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed class SingleWindowRunner : IDisposable
    {
        private readonly SessionOptions _options;
        private readonly InferenceSession _session;
        private readonly OrtValue _input;
        private readonly RunOptions _runOptions = new();
        private readonly string[] _inputNames;
        private readonly string[] _outputNames;

        public SingleWindowRunner(byte[] model, GraphOptimizationLevel level, float[] window)
        {
            _options = new SessionOptions
            {
                GraphOptimizationLevel = level,
                IntraOpNumThreads = 1,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            };
            _session = new InferenceSession(model, _options);
            _input = OrtValue.CreateTensorValueFromMemory(window, [1, 1, window.Length]);
            _inputNames = [_session.InputMetadata.Keys.First()];
            _outputNames = [_session.OutputMetadata.Keys.First()];
        }

        public float LastLogit { get; private set; }

        /// <summary>Runs one window and returns the elapsed time in milliseconds.</summary>
        public double Run()
        {
            var start = Stopwatch.GetTimestamp();
            using var results = _session.Run(_runOptions, _inputNames, [_input], _outputNames);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            LastLogit = results[0].GetTensorDataAsSpan<float>()[0];
            return elapsed;
        }

        public void Dispose()
        {
            _input.Dispose();
            _runOptions.Dispose();
            _session.Dispose();
            _options.Dispose();
        }
    }
}
