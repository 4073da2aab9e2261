using Microsoft.Extensions.Logging;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Pipeline;
using SsdEdge.EdgeAgent.Sources;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>Creates simulated devices and their pipelines the way the agent's service does.</summary>
internal static class BenchDevices
{
    public static DeviceDescriptor Describe(int index, SyntheticFeed feed) => new(
        $"bench-{index:D4}",
        feed.ChannelNames,
        feed.RateHz);

    public static DevicePipeline CreatePipeline(
        DeviceDescriptor device,
        OnnxModel model,
        InferenceEngine engine,
        double hopSeconds,
        IWindowSink sink,
        RunStatistics statistics,
        ILogger logger) =>
        new(device, model.Contract, engine, hopSeconds, [sink], statistics, logger);

    /// <summary>Feeds <paramref name="frameCount"/> frames of the feed, starting at stream sample
    /// <paramref name="firstSample"/>, as one block.</summary>
    public static void Feed(DevicePipeline pipeline, SyntheticFeed feed, long firstSample, int frameCount)
    {
        var frames = feed.Read(firstSample, frameCount);
        pipeline.Process(new SampleBlock(pipeline.Device, firstSample, frames));
    }
}
