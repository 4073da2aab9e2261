using Microsoft.Extensions.Logging;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>Log messages of <c>ssdedge-agent bench</c>, event ids 2500–2599.</summary>
internal static partial class BenchLog
{
    [LoggerMessage(EventId = 2500, Level = LogLevel.Information,
        Message = "Benchmark starting: model {ModelPath}, {Threads} intra-op thread(s), {Mode} run")]
    public static partial void BenchStarting(ILogger logger, string modelPath, int threads, string mode);

    [LoggerMessage(EventId = 2501, Level = LogLevel.Information, Message = "Measuring {Section}")]
    public static partial void SectionStarting(ILogger logger, string section);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Information,
        Message = "Capacity step: {Devices} device(s) for {Seconds} s")]
    public static partial void CapacityStepStarting(ILogger logger, int devices, double seconds);

    [LoggerMessage(EventId = 2503, Level = LogLevel.Information,
        Message = "Capacity step with {Devices} device(s): passed {Passed}, p99 {P99Ms:F2} ms, "
            + "{BlocksDropped} block(s) dropped")]
    public static partial void CapacityStepFinished(
        ILogger logger,
        int devices,
        bool passed,
        double p99Ms,
        long blocksDropped);

    [LoggerMessage(EventId = 2504, Level = LogLevel.Warning,
        Message = "The graph to compare with cannot run: {Problem}")]
    public static partial void ComparisonUnavailable(ILogger logger, string problem);

    [LoggerMessage(EventId = 2505, Level = LogLevel.Error, Message = "Benchmark failed: {Problem}")]
    public static partial void BenchFailed(ILogger logger, string problem, Exception exception);

    [LoggerMessage(EventId = 2506, Level = LogLevel.Information,
        Message = "Benchmark finished in {Seconds:F1} s")]
    public static partial void BenchFinished(ILogger logger, double seconds);

    [LoggerMessage(EventId = 2507, Level = LogLevel.Information,
        Message = "Through the broker with {Devices} device(s): window p99 {WindowP99Ms:F2} ms, alert p99 "
            + "{AlertP99Ms:F2} ms, {Dropped} sample(s) dropped or message(s) rejected")]
    public static partial void BrokerRunFinished(
        ILogger logger,
        int devices,
        double windowP99Ms,
        double alertP99Ms,
        long dropped);
}
