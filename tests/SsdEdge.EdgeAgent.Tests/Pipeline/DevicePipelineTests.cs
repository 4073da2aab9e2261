using Microsoft.Extensions.Logging.Abstractions;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Pipeline;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Tests.Support;
using SsdEdge.Preprocessing;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Pipeline;

public sealed class DevicePipelineTests : IDisposable
{
    private const double RateHz = 512;
    private const int WindowSamples = 2816;

    private readonly TempDirectory _directory = new();
    private readonly OnnxModel _model;
    private readonly InferenceEngine _engine;
    private readonly DeviceDescriptor _device = new("wrist-01", ["eda"], RateHz);

    public DevicePipelineTests()
    {
        _model = OnnxModel.Load(
            TestModels.WriteWithContract(_directory.Path, TestModels.EdaContract()), intraOpThreads: 1);
        _engine = _model.CreateEngine();
    }

    public void Dispose()
    {
        _engine.Dispose();
        _model.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void Process_EightSeconds_EmitsWindowPerHop()
    {
        var sink = new CollectingSink();
        var pipeline = CreatePipeline(sink, new RunStatistics(), hopSeconds: 1);

        Feed(pipeline, EdaLike(8 * 512), blockFrames: 51);

        Assert.Equal([2816L, 3328L, 3840L], sink.Results.Select(result => result.EndSample));
        Assert.Equal([5.5, 6.5, 7.5], sink.Results.Select(result => result.EndSeconds));
        Assert.All(sink.Results, result => Assert.Equal(WindowOutcome.Scored, result.Outcome));
    }

    [Fact]
    public void Process_ScoredWindow_MatchesDirectPreprocessingAndInference()
    {
        var signal = EdaLike(7 * 512);
        var sink = new CollectingSink();
        var pipeline = CreatePipeline(sink, new RunStatistics(), hopSeconds: 1);

        Feed(pipeline, signal, blockFrames: 51);

        var last = sink.Results[^1];
        var preprocessor = new WindowPreprocessor(_model.Contract, RateHz);
        var modelInput = new float[WindowSamples];
        var rawLength = preprocessor.RawWindowSamples;
        var raw = signal.AsSpan((int)last.EndSample - rawLength, rawLength);
        Assert.True(preprocessor.Process(raw, modelInput).Accepted);
        var expected = _engine.Run(modelInput).Probabilities;
        Assert.Equal(expected, last.Probabilities);
    }

    [Fact]
    public void Process_DifferentBlockSizes_GiveSameResults()
    {
        var signal = EdaLike(8 * 512);
        var small = new CollectingSink();
        var large = new CollectingSink();

        Feed(CreatePipeline(small, new RunStatistics(), hopSeconds: 0.5), signal, blockFrames: 7);
        Feed(CreatePipeline(large, new RunStatistics(), hopSeconds: 0.5), signal, blockFrames: 1000);

        Assert.Equal(small.Results.Count, large.Results.Count);
        for (var i = 0; i < small.Results.Count; i++)
        {
            Assert.Equal(small.Results[i].EndSample, large.Results[i].EndSample);
            Assert.Equal(small.Results[i].Probabilities, large.Results[i].Probabilities);
        }
    }

    [Fact]
    public void Process_ProbabilitiesAndDecision_FollowContract()
    {
        var sink = new CollectingSink();
        var pipeline = CreatePipeline(sink, new RunStatistics(), hopSeconds: 1);

        Feed(pipeline, EdaLike(6 * 512), blockFrames: 512);

        var result = Assert.Single(sink.Results);
        Assert.Equal(1.0, result.Probabilities.Sum(p => (double)p), 1e-5);
        Assert.Equal(result.Probabilities[1] >= 0.5, result.IsPositive);
        Assert.NotNull(result.LatencyMs);
    }

    [Fact]
    public void Process_FlatSignal_RejectsWithoutInference()
    {
        var sink = new CollectingSink();
        var statistics = new RunStatistics();
        var pipeline = CreatePipeline(sink, statistics, hopSeconds: 1);

        Feed(pipeline, Enumerable.Repeat(4.2f, 6 * 512).ToArray(), blockFrames: 512);

        var result = Assert.Single(sink.Results);
        Assert.Equal(WindowOutcome.RejectedByQualityGate, result.Outcome);
        Assert.True(result.Quality.Issues.HasFlag(QualityIssues.FlatLine));
        Assert.Equal("eda", result.WorstChannel);
        Assert.Null(result.LatencyMs);
        Assert.Empty(result.Probabilities);
        Assert.Equal(1, statistics.ToSummary().SkippedByCause["FlatLine"]);
    }

    [Fact]
    public void Process_Gap_RestartsWindowing()
    {
        var sink = new CollectingSink();
        var statistics = new RunStatistics();
        var pipeline = CreatePipeline(sink, statistics, hopSeconds: 1);
        var signal = EdaLike(14 * 512);

        pipeline.Process(new SampleBlock(_device, 0, signal.AsMemory(0, 2000)));
        pipeline.Process(new SampleBlock(_device, 3000, signal.AsMemory(3000)));

        Assert.Equal([3000L + 2816, 3000L + 3328, 3000L + 3840], sink.Results.Select(result => result.EndSample));
        Assert.Equal(1, statistics.ToSummary().Discontinuities);
    }

    [Fact]
    public void Process_Gap_CountsGapAndLostWindows()
    {
        var sink = new CollectingSink();
        var statistics = new RunStatistics();
        var counters = new IngestCounters();
        var pipeline = CreatePipeline(sink, statistics, counters);
        var signal = EdaLike(16 * 512);

        // Windows end at 2816 and 3328; the next would end at 3840. Samples 3400 to 3499 are missing,
        // so the first window after the gap ends at 3500 + 2816 = 6316.
        pipeline.Process(new SampleBlock(_device, 0, signal.AsMemory(0, 3400)));
        pipeline.Process(new SampleBlock(_device, 3500, signal.AsMemory(3500)));

        var ends = sink.Results.Select(result => result.EndSample).ToList();
        Assert.Equal([2816L, 3328L, 6316L, 6828L, 7340L, 7852L], ends);
        Assert.Equal(1, counters.Gaps("wrist-01"));
        Assert.Equal(100, counters.MissingSamples("wrist-01"));
        Assert.Equal(5, counters.WindowsLostToGaps("wrist-01"));
        var summary = statistics.ToSummary();

        // Lost: the windows that would have ended at 3840, 4352, 4864, 5376 and 5888.
        Assert.Equal(5, summary.WindowsLostToGaps);
        Assert.Equal(5, summary.SkippedByCause[RunStatistics.GapCause]);
        var device = Assert.Single(summary.PerDevice);
        Assert.Equal(5, device.WindowsLostToGaps);
        Assert.Equal(1, device.Gaps);
    }

    [Fact]
    public void Process_Gap_NoWindowSpansMissingSamples()
    {
        var sink = new CollectingSink();
        var pipeline = CreatePipeline(sink, new RunStatistics(), new IngestCounters());
        var signal = EdaLike(20 * 512);

        Feed(pipeline, signal.AsSpan(0, 4000).ToArray(), blockFrames: 97);
        pipeline.Process(new SampleBlock(_device, 4500, signal.AsMemory(4500, 3000).ToArray()));
        pipeline.Process(new SampleBlock(_device, 9000, signal.AsMemory(9000).ToArray()));

        Assert.All(sink.Results, result =>
        {
            var start = result.EndSample - WindowSamples;
            Assert.False(start < 4500 && result.EndSample > 4000, $"window ending at {result.EndSample} spans 4000-4500");
            Assert.False(start < 9000 && result.EndSample > 7500, $"window ending at {result.EndSample} spans 7500-9000");
        });
    }

    [Fact]
    public void Process_Duplicate_DroppedAndCounted()
    {
        var sink = new CollectingSink();
        var statistics = new RunStatistics();
        var counters = new IngestCounters();
        var pipeline = CreatePipeline(sink, statistics, counters);
        var signal = EdaLike(8 * 512);

        pipeline.Process(new SampleBlock(_device, 0, signal.AsMemory(0, 1000).ToArray()));
        pipeline.Process(new SampleBlock(_device, 500, signal.AsMemory(500, 500).ToArray()));
        pipeline.Process(new SampleBlock(_device, 1000, signal.AsMemory(1000).ToArray()));

        Assert.Equal(500, counters.Rejected("wrist-01", IngestRejection.DuplicateSample));
        Assert.Equal(0, counters.Gaps("wrist-01"));
        Assert.Equal(8 * 512, pipeline.SamplesReceived);
        Assert.Equal([2816L, 3328L, 3840L], sink.Results.Select(result => result.EndSample));
        Assert.Equal(500, statistics.ToSummary().DuplicateSamples);
        Assert.Equal(0, statistics.ToSummary().Discontinuities);
    }

    [Fact]
    public void Process_OverlapPartlyNew_KeepsNewPart()
    {
        var signal = EdaLike(8 * 512);
        var reference = new CollectingSink();
        Feed(CreatePipeline(reference, new RunStatistics(), new IngestCounters()), signal, blockFrames: 512);
        var sink = new CollectingSink();
        var counters = new IngestCounters();
        var pipeline = CreatePipeline(sink, new RunStatistics(), counters);

        // The second block repeats samples 1800 to 1999 and carries 2000 onwards.
        pipeline.Process(new SampleBlock(_device, 0, signal.AsMemory(0, 2000).ToArray()));
        pipeline.Process(new SampleBlock(_device, 1800, signal.AsMemory(1800).ToArray()));

        Assert.Equal(200, counters.Rejected("wrist-01", IngestRejection.DuplicateSample));
        Assert.Equal(8 * 512, pipeline.SamplesReceived);
        Assert.Equal(reference.Results.Select(result => result.EndSample), sink.Results.Select(result => result.EndSample));
        for (var i = 0; i < reference.Results.Count; i++)
        {
            Assert.Equal(reference.Results[i].Probabilities, sink.Results[i].Probabilities);
        }
    }

    [Fact]
    public void Process_CounterFarBack_RestartsStream()
    {
        var sink = new CollectingSink();
        var statistics = new RunStatistics();
        var counters = new IngestCounters();
        var pipeline = CreatePipeline(sink, statistics, counters);
        var signal = EdaLike(18 * 512);

        // 6000 samples in, the counter starts again at 0: more than one window (2816) back.
        pipeline.Process(new SampleBlock(_device, 0, signal.AsMemory(0, 6000).ToArray()));
        var before = sink.Results.Count;
        pipeline.Process(new SampleBlock(_device, 0, signal.AsMemory(6000, 3000).ToArray()));

        Assert.Equal(0, counters.Rejected("wrist-01", IngestRejection.DuplicateSample));
        Assert.Equal(1, statistics.ToSummary().Restarts);
        Assert.Equal(1, statistics.ToSummary().Discontinuities);
        var afterRestart = sink.Results.Skip(before).Select(result => result.EndSample).ToList();
        Assert.Equal([2816L], afterRestart);
    }

    [Fact]
    public void Process_LiveDeviceTooFast_ReportsRateMismatch()
    {
        var counters = new IngestCounters();
        var monitor = new RateMonitor(RateHz, intervalSeconds: 2, tolerance: 0.1);
        var pipeline = new DevicePipeline(
            _device, _model.Contract, _engine, 1, [], new RunStatistics(), counters, monitor, NullLogger.Instance);
        var signal = EdaLike(512);
        var tick = System.Diagnostics.Stopwatch.Frequency / 10;

        // 512 samples every 0.1 s of arrival time: ten times the nominal 512 Hz.
        for (var i = 0; i < 40; i++)
        {
            pipeline.Process(new SampleBlock(_device, i * 512L, signal) { ReceivedTimestamp = 1_000_000 + (i * tick) });
        }

        Assert.Equal(1, counters.RateMismatches("wrist-01"));
        Assert.NotNull(counters.ActiveRateMismatch("wrist-01"));
    }

        [Fact]
    public void Process_BlockOfOtherDevice_Throws()
    {
        var pipeline = CreatePipeline(new CollectingSink(), new RunStatistics(), hopSeconds: 1);
        var other = new DeviceDescriptor("wrist-02", ["eda"], RateHz);

        var block = new SampleBlock(other, 0, new float[10]);

        var error = Assert.Throws<ArgumentException>(() => pipeline.Process(block));

        Assert.Contains("'wrist-02'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ChannelsDifferFromContract_ThrowsNamingBoth()
    {
        var device = new DeviceDescriptor("chest", ["ecg"], RateHz);

        var error = Assert.Throws<ArgumentException>(() => new DevicePipeline(
            device, _model.Contract, _engine, 1, [], new RunStatistics(), NullLogger.Instance));

        Assert.Contains("delivers channels (ecg)", error.Message, StringComparison.Ordinal);
        Assert.Contains("needs (eda)", error.Message, StringComparison.Ordinal);
    }

    private DevicePipeline CreatePipeline(CollectingSink sink, RunStatistics statistics, double hopSeconds) =>
        new(_device, _model.Contract, _engine, hopSeconds, [sink], statistics, NullLogger.Instance);

    private DevicePipeline CreatePipeline(CollectingSink sink, RunStatistics statistics, IngestCounters counters) =>
        new(_device, _model.Contract, _engine, 1, [sink], statistics, counters, null, NullLogger.Instance);

    private void Feed(DevicePipeline pipeline, float[] signal, int blockFrames)
    {
        for (var first = 0; first < signal.Length; first += blockFrames)
        {
            var count = Math.Min(blockFrames, signal.Length - first);
            pipeline.Process(new SampleBlock(_device, first, signal.AsMemory(first, count).ToArray()));
        }
    }

    /// <summary>Skin conductance around 5 uS with a slow drift, a faster ripple and seeded noise.</summary>
    private static float[] EdaLike(int length)
    {
        var random = new Random(1234);
        var signal = new float[length];
        for (var t = 0; t < length; t++)
        {
            var seconds = t / RateHz;
            signal[t] = (float)(5 + (0.5 * Math.Sin(2 * Math.PI * 0.1 * seconds))
                + (0.05 * Math.Sin(2 * Math.PI * 1.3 * seconds)) + (0.01 * random.NextDouble()));
        }

        return signal;
    }
}
