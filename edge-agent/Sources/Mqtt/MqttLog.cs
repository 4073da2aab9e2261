using Microsoft.Extensions.Logging;

namespace SsdEdge.EdgeAgent.Sources.Mqtt;

/// <summary>Log messages of the MQTT source and the embedded broker (event ids 2100-2199).</summary>
internal static partial class MqttLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information,
        Message = "MQTT source connected to {Host}:{Port} as {ClientId} and subscribed to {TopicFilter}")]
    public static partial void Connected(ILogger logger, string host, int port, string clientId, string topicFilter);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning,
        Message = "MQTT broker {Host}:{Port} rejected the connection: {ResultCode} {Reason}; retrying in "
            + "{RetrySeconds:F1} s")]
    public static partial void ConnectRejected(
        ILogger logger,
        string host,
        int port,
        string resultCode,
        string reason,
        double retrySeconds);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning,
        Message = "MQTT connection to {Host}:{Port} failed: {Reason}; retrying in {RetrySeconds:F1} s")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, string reason, double retrySeconds);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning,
        Message = "MQTT broker rejected the subscription to {TopicFilter}: {ResultCode}; reconnecting in "
            + "{RetrySeconds:F1} s")]
    public static partial void SubscribeRejected(ILogger logger, string topicFilter, string resultCode, double retrySeconds);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning,
        Message = "MQTT connection to {Host}:{Port} lost: {Reason}; reconnecting")]
    public static partial void ConnectionLost(ILogger logger, string host, int port, string reason);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning,
        Message = "MQTT message from {DeviceId} on {Topic} rejected ({Cause}): {Problem}; {Total} such "
            + "rejection(s) for this device so far, repeats within {IntervalSeconds} s are counted but not logged")]
    public static partial void MessageRejected(
        ILogger logger,
        string deviceId,
        string topic,
        IngestRejection cause,
        string problem,
        long total,
        double intervalSeconds);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Information,
        Message = "MQTT device {DeviceId} first seen: {ChannelCount} channels at {RateHz} Hz")]
    public static partial void DeviceSeen(ILogger logger, string deviceId, int channelCount, double rateHz);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Information,
        Message = "Embedded MQTT broker listening on 127.0.0.1:{Port}")]
    public static partial void BrokerStarted(ILogger logger, int port);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Warning,
        Message = "Port {RequestedPort} on 127.0.0.1 is in use, so the embedded MQTT broker listens on port "
            + "{Port} instead; set Mqtt:Port (--mqtt-port) to choose another")]
    public static partial void BrokerPortTaken(ILogger logger, int requestedPort, int port);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Information, Message = "Embedded MQTT broker stopped")]
    public static partial void BrokerStopped(ILogger logger);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Information,
        Message = "MQTT source disconnected from {Host}:{Port}")]
    public static partial void Disconnected(ILogger logger, string host, int port);
}
