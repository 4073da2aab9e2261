using Microsoft.Extensions.Logging;

namespace SsdEdge.EdgeAgent.Delivery;

/// <summary>Log messages of the outbox and the MQTT publisher, event ids 2320–2399.</summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(EventId = 2320, Level = LogLevel.Information,
        Message = "Outbox {Directory} holds {Messages} message(s) from a previous run, {Alerts} of them alerts; "
            + "they are published first")]
    public static partial void OutboxLoaded(ILogger logger, int messages, int alerts, string directory);

    [LoggerMessage(EventId = 2321, Level = LogLevel.Warning,
        Message = "Outbox file {Path} ({Bytes} bytes) is torn or damaged, probably cut short by a crash; "
            + "it was skipped and deleted")]
    public static partial void OutboxFileTorn(ILogger logger, string path, int bytes);

    [LoggerMessage(EventId = 2322, Level = LogLevel.Warning, Message = "Outbox file {Path} could not be read")]
    public static partial void OutboxFileUnreadable(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 2323, Level = LogLevel.Warning, Message = "Outbox file {Path} could not be deleted")]
    public static partial void OutboxDeleteFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 2324, Level = LogLevel.Debug,
        Message = "Outbox full ({Capacity} messages): dropped the oldest {Kind} message for {Topic}")]
    public static partial void OutboxFullDroppedOldest(ILogger logger, OutboxKind kind, string topic, int capacity);

    [LoggerMessage(EventId = 2325, Level = LogLevel.Warning,
        Message = "Outbox full of alerts ({Capacity} messages): dropped the new {Kind} message for {Topic}")]
    public static partial void OutboxFullDroppedNew(ILogger logger, OutboxKind kind, string topic, int capacity);

    [LoggerMessage(EventId = 2326, Level = LogLevel.Error,
        Message = "Outbox full of alerts ({Capacity} messages): dropped the oldest alert, sequence {Sequence}, "
            + "for {Topic}; the broker has been unreachable for long, or Publish:OutboxCapacity is too small")]
    public static partial void OutboxFullDroppedAlert(ILogger logger, string topic, long sequence, int capacity);

    [LoggerMessage(EventId = 2340, Level = LogLevel.Information,
        Message = "Connected to broker {Host}:{Port} as {ClientId}{Tls}")]
    public static partial void Connected(ILogger logger, string host, int port, string clientId, string tls);

    [LoggerMessage(EventId = 2341, Level = LogLevel.Warning,
        Message = "Connecting to broker {Host}:{Port} failed: {Reason}; "
            + "retrying in {DelaySeconds:F1} s (attempt {Attempt})")]
    public static partial void ConnectFailed(
        ILogger logger, string host, int port, string reason, double delaySeconds, int attempt);

    [LoggerMessage(EventId = 2342, Level = LogLevel.Error,
        Message = "Broker {Host}:{Port} rejected the connection with CONNACK reason {ReasonCode} "
            + "({ReasonString}) for user '{Username}'; check Publish:Username and Publish:Password. "
            + "Retrying every {DelaySeconds:F0} s")]
    public static partial void ConnectRejected(
        ILogger logger,
        string host,
        int port,
        string reasonCode,
        string reasonString,
        string username,
        double delaySeconds);

    [LoggerMessage(EventId = 2343, Level = LogLevel.Warning,
        Message = "Connection to broker {Host}:{Port} lost: {Reason}; {Pending} message(s) wait in the outbox")]
    public static partial void ConnectionLost(ILogger logger, string host, int port, string reason, int pending);

    [LoggerMessage(EventId = 2344, Level = LogLevel.Error,
        Message = "Broker rejected the message for {Topic} with reason {ReasonCode} ({ReasonString}); "
            + "it was dropped from the outbox")]
    public static partial void PublishRejected(ILogger logger, string topic, string reasonCode, string reasonString);

    [LoggerMessage(EventId = 2345, Level = LogLevel.Debug,
        Message = "Alert {Topic} acknowledged {LatencyMs:F1} ms after its last sample arrived")]
    public static partial void AlertAcknowledged(ILogger logger, string topic, double latencyMs);

    [LoggerMessage(EventId = 2346, Level = LogLevel.Information,
        Message = "Home Assistant announced itself; discovery republished for {Devices} device(s)")]
    public static partial void HomeAssistantAnnounced(ILogger logger, int devices);

    [LoggerMessage(EventId = 2347, Level = LogLevel.Information,
        Message = "Publisher stopped: {Pending} message(s) left in outbox {Directory} for the next start")]
    public static partial void PublisherStopped(ILogger logger, int pending, string directory);

    [LoggerMessage(EventId = 2348, Level = LogLevel.Debug,
        Message = "Connecting to broker {Host}:{Port} still fails after {Attempt} attempts: {Reason}")]
    public static partial void ConnectStillFailing(ILogger logger, string host, int port, int attempt, string reason);

    [LoggerMessage(EventId = 2349, Level = LogLevel.Warning,
        Message = "Broker answered the message for {Topic} with reason {ReasonCode}; retrying")]
    public static partial void PublishDeferred(ILogger logger, string topic, string reasonCode);

    [LoggerMessage(EventId = 2350, Level = LogLevel.Information,
        Message = "Publishing to {Host}:{Port}, topics under {Root}, outbox {Directory} ({Pending} waiting)")]
    public static partial void PublisherStarting(
        ILogger logger, string host, int port, string root, string directory, int pending);
}
