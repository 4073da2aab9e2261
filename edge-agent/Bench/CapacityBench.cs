using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Pipeline;
using SsdEdge.EdgeAgent.Sources;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>
/// Finds how many simulated devices one process serves in real time: each step runs N devices
/// that send blocks at their sampling rate into a bounded queue, read by one loop that feeds each
/// device's <see cref="DevicePipeline"/> with one shared engine, as the agent's service does.
/// </summary>
/// <remarks>
/// <para>In-process only: blocks reach the queue without a network, a broker or decoding, so the
/// figures are an upper bound for a deployment that ingests over MQTT.</para>
/// <para>Each device starts with its window nearly full (a different fill per device, so windows
/// complete spread over the hop) and sends a block every <see cref="BlockSeconds"/>, its schedule
/// offset by a fraction of a block. The queue holds one second of blocks from all devices; a block
/// that finds it full is dropped and counted. Window latency runs from the moment a block is queued
/// to the moment its window's result reaches the sink.</para>
/// </remarks>
public static class CapacityBench
{
    /// <summary>Seconds of samples per block, the agent's default block length.</summary>
    public const double BlockSeconds = 0.1;

    /// <summary>Name of how devices reach the pipelines in this benchmark.</summary>
    public const string InProcessMode = "in-process";

    /// <summary>Runs each step of <paramref name="steps"/> for <paramref name="seconds"/> and stops
    /// after the first step that fails.</summary>
    public static async Task<CapacitySection> MeasureAsync(
        OnnxModel model,
        InferenceEngine engine,
        SyntheticFeed feed,
        double hopSeconds,
        IReadOnlyList<int> steps,
        double seconds,
        double maxP99Ms,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(steps);
        var results = new List<CapacityStep>();
        var capacity = 0;
        foreach (var devices in steps)
        {
            BenchLog.CapacityStepStarting(logger, devices, seconds);
            var step = await RunStepAsync(
                model, engine, feed, hopSeconds, devices, seconds, maxP99Ms, logger, cancellationToken);
            results.Add(step);
            BenchLog.CapacityStepFinished(
                logger, devices, step.Passed, step.Latency?.P99Ms ?? double.NaN, step.BlocksDropped);
            if (!step.Passed)
            {
                break;
            }

            capacity = devices;
        }

        return new CapacitySection(
            Available: true,
            Reason: null,
            InProcessMode,
            maxP99Ms,
            feed.ChannelNames.Count,
            feed.RateHz,
            results,
            capacity);
    }

    private static async Task<CapacityStep> RunStepAsync(
        OnnxModel model,
        InferenceEngine engine,
        SyntheticFeed feed,
        double hopSeconds,
        int deviceCount,
        double seconds,
        double maxP99Ms,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var blockFrames = Math.Max(1, (int)Math.Round(BlockSeconds * feed.RateHz));
        var blockSeconds = blockFrames / feed.RateHz;
        var sink = new WindowLatencySink();
        var statistics = new RunStatistics();
        var pipelines = new Dictionary<string, DevicePipeline>(StringComparer.Ordinal);
        var devices = new SimulatedDevice[deviceCount];
        for (var d = 0; d < deviceCount; d++)
        {
            var descriptor = BenchDevices.Describe(d, feed);
            var pipeline = BenchDevices.CreatePipeline(
                descriptor, model, engine, hopSeconds, sink, statistics, logger);
            var fill = pipeline.RawWindowSamples - pipeline.HopSamples
                + (int)((long)d * pipeline.HopSamples / deviceCount);
            BenchDevices.Feed(pipeline, feed, 0, fill);
            pipelines.Add(descriptor.DeviceId, pipeline);
            devices[d] = new SimulatedDevice(descriptor, fill, blockSeconds * d / deviceCount);
        }

        var queueCapacity = Math.Max(1, (int)Math.Ceiling(deviceCount / blockSeconds));
        var queue = Channel.CreateBounded<SampleBlock>(new BoundedChannelOptions(queueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        var consumer = Task.Run(
            async () =>
            {
                await foreach (var block in queue.Reader.ReadAllAsync(cancellationToken))
                {
                    pipelines[block.Device.DeviceId].Process(block);
                }
            },
            cancellationToken);

        var (sent, dropped, queuedAtEnd) = await Task.Run(
            () => Produce(queue.Writer, queue.Reader, devices, feed, blockFrames, blockSeconds, seconds, cancellationToken),
            cancellationToken);
        queue.Writer.Complete();
        await consumer;

        var latency = sink.LatenciesMs.Count > 0 ? LatencySummary.From(sink.LatenciesMs) : null;
        string? failure = null;
        if (dropped > 0)
        {
            failure = $"{dropped} block(s) dropped because the queue was full";
        }
        else if (latency is null)
        {
            failure = "no window was scored";
        }
        else if (!(latency.P99Ms < maxP99Ms))
        {
            failure = string.Create(
                CultureInfo.InvariantCulture,
                $"p99 window latency {latency.P99Ms:F1} ms is not under {maxP99Ms} ms");
        }

        return new CapacityStep(
            deviceCount,
            seconds,
            sent,
            dropped,
            queuedAtEnd * (long)blockFrames,
            sink.WindowsScored,
            latency,
            failure is null,
            failure);
    }

    // Sends every block when its last sample is due, checking the schedule every millisecond.
    private static (long Sent, long Dropped, int QueuedAtEnd) Produce(
        ChannelWriter<SampleBlock> writer,
        ChannelReader<SampleBlock> reader,
        SimulatedDevice[] devices,
        SyntheticFeed feed,
        int blockFrames,
        double blockSeconds,
        double seconds,
        CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        long sent = 0;
        long dropped = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (now >= seconds)
            {
                return (sent, dropped, reader.Count);
            }

            foreach (var device in devices)
            {
                while (device.PhaseSeconds + ((device.BlocksSent + 1) * blockSeconds) <= now)
                {
                    var frames = feed.Read(device.NextSample, blockFrames);
                    var block = new SampleBlock(device.Descriptor, device.NextSample, frames);
                    device.NextSample += blockFrames;
                    device.BlocksSent++;
                    sent++;
                    if (!writer.TryWrite(block))
                    {
                        dropped++;
                    }
                }
            }

            Thread.Sleep(1);
        }
    }

    private sealed class SimulatedDevice(DeviceDescriptor descriptor, long nextSample, double phaseSeconds)
    {
        public DeviceDescriptor Descriptor { get; } = descriptor;

        public long NextSample { get; set; } = nextSample;

        public double PhaseSeconds { get; } = phaseSeconds;

        public long BlocksSent { get; set; }
    }
}
