using Microsoft.Extensions.Logging;

namespace SsdEdge.EdgeAgent.Alerts;

/// <summary>Log messages of the alert policy and sink, event ids 2300–2319.</summary>
internal static partial class AlertLog
{
    [LoggerMessage(EventId = 2300, Level = LogLevel.Warning,
        Message = "Pain alert raised for device {DeviceId}: probability {Probability:F3} at {EndSeconds:F1} s, "
            + "quality {Quality:F2}, event {EventId}")]
    public static partial void AlertRaised(
        ILogger logger, string deviceId, double probability, double endSeconds, double quality, Guid eventId);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information,
        Message = "Pain alert cleared for device {DeviceId}: probability {Probability:F3} at {EndSeconds:F1} s, "
            + "event {EventId}")]
    public static partial void AlertCleared(
        ILogger logger, string deviceId, double probability, double endSeconds, Guid eventId);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Error,
        Message = "Alert event {EventId} of device {DeviceId} could not be written to the outbox: {Reason}")]
    public static partial void AlertNotStored(
        ILogger logger,
        Guid eventId,
        string deviceId,
        string reason,
        Exception exception);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning,
        Message = "A {Kind} message of device {DeviceId} could not be written to the outbox: {Reason}")]
    public static partial void MessageNotStored(ILogger logger, string kind, string deviceId, string reason);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Information,
        Message = "Alert policy: raise at {RaiseCount} of {WindowCount} windows >= {Threshold}, clear after "
            + "{ClearCount} windows < {ClearThreshold}, cooldown {CooldownSeconds} s, minimum quality {MinQuality}")]
    public static partial void PolicyStarted(
        ILogger logger,
        int raiseCount,
        int windowCount,
        double threshold,
        int clearCount,
        double clearThreshold,
        double cooldownSeconds,
        double minQuality);

    [LoggerMessage(EventId = 2305, Level = LogLevel.Warning,
        Message = "Only simulated devices run and no Alerts setting is given, so the demo alert policy applies "
            + "(raise at 2 of 5 windows); set any Alerts key (such as Alerts:RaiseCount=3) for the production policy")]
    public static partial void DemoPolicy(ILogger logger);
}
