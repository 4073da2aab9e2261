using Microsoft.Extensions.Logging;

namespace SsdEdge.EdgeAgent.Sources.Simulator;

/// <summary>Log messages of the simulator (event ids 2200-2299).</summary>
internal static partial class SimulatorLog
{
    [LoggerMessage(EventId = 2200, Level = LogLevel.Information,
        Message = "Simulator starting: {DeviceCount} device(s) ({DeviceIds}) at {RateHz} Hz, {Speed} x real time, "
            + "{Target}")]
    public static partial void Starting(
        ILogger logger,
        int deviceCount,
        string deviceIds,
        double rateHz,
        double speed,
        string target);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information,
        Message = "Simulator connected to the embedded broker at {Host}:{Port}; publishing JSON to {TopicFilter}")]
    public static partial void Connected(ILogger logger, string host, int port, string topicFilter);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning,
        Message = "Simulator cannot publish to {Host}:{Port}: {Reason}; blocks are dropped until it reconnects "
            + "(retry in {RetrySeconds} s)")]
    public static partial void PublishFailed(ILogger logger, string host, int port, string reason, double retrySeconds);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Information, Message = "Simulator stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning,
        Message = "The agent's MQTT source had not subscribed after {Seconds} s; the simulator publishes anyway, "
            + "and samples published before the subscription are lost")]
    public static partial void SubscriberNotReady(ILogger logger, double seconds);
}
