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
