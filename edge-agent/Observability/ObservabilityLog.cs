using Microsoft.Extensions.Logging;

namespace SsdEdge.EdgeAgent.Observability;

/// <summary>Log messages of metrics and health, event ids 2400–2499.</summary>
internal static partial class ObservabilityLog
{
    [LoggerMessage(EventId = 2400, Level = LogLevel.Information, Message = "Metrics served at {Url}")]
    public static partial void MetricsListening(ILogger logger, string url);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Error,
        Message = "Metrics endpoint {Prefix} could not listen: {Reason}; the agent runs on without metrics "
            + "(set Metrics:Port to a free port, or 0 to disable)")]
    public static partial void MetricsListenFailed(ILogger logger, string prefix, string reason);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Warning, Message = "Metrics listener stopped: {Reason}")]
    public static partial void MetricsListenerStopped(ILogger logger, string reason);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Debug, Message = "Metrics response failed: {Reason}")]
    public static partial void MetricsResponseFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2410, Level = LogLevel.Information,
        Message = "Health changed from {Previous} to {Current}: {Reasons}")]
    public static partial void HealthChanged(ILogger logger, HealthState previous, HealthState current, string reasons);
}
