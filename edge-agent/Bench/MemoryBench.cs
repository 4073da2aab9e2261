using Microsoft.Extensions.Logging;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Pipeline;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>Measures resident memory with the model loaded, alone and with device pipelines.</summary>
public static class MemoryBench
{
    /// <summary>
    /// Reads VmRSS before and after creating <paramref name="devices"/> pipelines that share
    /// <paramref name="engine"/> and have each completed one window, then VmHWM. Both VmRSS readings
    /// follow a full garbage collection, so they show live memory plus what the runtime keeps.
    /// </summary>
    public static MemorySection Measure(
        OnnxModel model,
        InferenceEngine engine,
        SyntheticFeed feed,
        double hopSeconds,
        int devices,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(feed);
        if (!ProcessMemory.IsAvailable)
        {
            return new MemorySection(false, 0, 0, 0, devices, 0);
        }

        CollectGarbage();
        var before = ProcessMemory.ResidentBytes();

        var statistics = new RunStatistics();
        var pipelines = new List<DevicePipeline>(devices);
        for (var d = 0; d < devices; d++)
        {
            var pipeline = BenchDevices.CreatePipeline(
                BenchDevices.Describe(d, feed), model, engine, hopSeconds, NullWindowSink.Instance, statistics, logger);
            BenchDevices.Feed(pipeline, feed, 0, pipeline.RawWindowSamples);
            pipelines.Add(pipeline);
        }

        CollectGarbage();
        var after = ProcessMemory.ResidentBytes();
        var peak = ProcessMemory.PeakResidentBytes();
        GC.KeepAlive(pipelines);
        return new MemorySection(true, peak, before, after, devices, MemorySection.PerDevice(before, after, devices));
    }

    private static void CollectGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
