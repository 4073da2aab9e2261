using Microsoft.Extensions.Logging;

namespace SsdEdge.EdgeAgent.Deployment;

/// <summary>Log messages of the systemd watchdog, event ids 2600–2699.</summary>
internal static partial class WatchdogLog
{
    [LoggerMessage(EventId = 2600, Level = LogLevel.Information,
        Message = "systemd watchdog on: interval {IntervalSeconds:F1} s, ping every {PeriodSeconds:F1} s; "
            + "pings stop when input waits {StallSeconds:F1} s for the processing loop")]
    public static partial void WatchdogStarted(
        ILogger logger,
        double intervalSeconds,
        double periodSeconds,
        double stallSeconds);

    [LoggerMessage(EventId = 2601, Level = LogLevel.Debug, Message = "systemd watchdog off: {Reason}")]
    public static partial void WatchdogOff(ILogger logger, string reason);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Warning,
        Message = "systemd watchdog off: {Reason}; check WatchdogSec= in the unit")]
    public static partial void WatchdogSettingInvalid(ILogger logger, string reason);

    [LoggerMessage(EventId = 2603, Level = LogLevel.Error,
        Message = "Processing loop stuck: input has waited {WaitingSeconds:F1} s and no block was taken "
            + "after {SamplesReceived} samples; watchdog pings stop, so systemd restarts the agent")]
    public static partial void WatchdogPaused(ILogger logger, double waitingSeconds, long samplesReceived);

    [LoggerMessage(EventId = 2604, Level = LogLevel.Warning,
        Message = "Processing loop moving again at {SamplesReceived} samples; watchdog pings resume")]
    public static partial void WatchdogResumed(ILogger logger, long samplesReceived);

    [LoggerMessage(EventId = 2605, Level = LogLevel.Warning,
        Message = "systemd watchdog ping failed: {Reason}; retried at the next period, logged once "
            + "until a ping succeeds")]
    public static partial void WatchdogPingFailed(ILogger logger, string reason, Exception exception);
}
