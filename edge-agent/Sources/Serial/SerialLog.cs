using Microsoft.Extensions.Logging;

namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>Log messages of the serial sources, event ids 2000 to 2099.</summary>
internal static partial class SerialLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information,
        Message = "Serial device {DeviceId}: reading {Port} at {BaudRate} bit/s, {Protocol} protocol, "
            + "{SamplingRateHz} Hz, channels {Channels}")]
    public static partial void SourceStarting(
        ILogger logger,
        string deviceId,
        string port,
        int baudRate,
        SerialProtocol protocol,
        double samplingRateHz,
        string channels);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "Serial device {DeviceId}: port {Port} opened")]
    public static partial void PortOpened(ILogger logger, string deviceId, string port);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "Serial device {DeviceId}: port {Port} cannot be opened ({Reason}); retrying with backoff "
            + "from {DelaySeconds:F1} s up to {MaxDelaySeconds:F1} s")]
    public static partial void PortOpenFailed(
        ILogger logger,
        string deviceId,
        string port,
        string reason,
        double delaySeconds,
        double maxDelaySeconds);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug,
        Message = "Serial device {DeviceId}: attempt {Attempt} to open {Port} failed ({Reason}); next in "
            + "{DelaySeconds:F2} s")]
    public static partial void PortReopenAttemptFailed(
        ILogger logger,
        string deviceId,
        int attempt,
        string port,
        string reason,
        double delaySeconds);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning,
        Message = "Serial device {DeviceId}: port {Port} lost ({Reason}); closing it and reopening with backoff")]
    public static partial void PortLost(ILogger logger, string deviceId, string port, string reason);

    // An unplugged port is normal operation, so the warning carries the message only.
    [LoggerMessage(EventId = 2013, Level = LogLevel.Debug,
        Message = "Serial device {DeviceId}: details of the lost port {Port}")]
    public static partial void PortLostDetails(ILogger logger, string deviceId, string port, Exception exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information,
        Message = "Serial device {DeviceId}: port {Port} reopened after an outage of {OutageSeconds:F1} s "
            + "({Attempts} attempt(s)); about {EstimatedMissingSamples} samples were sent while it was closed, "
            + "and sample numbering {Numbering}")]
    public static partial void PortReopened(
        ILogger logger,
        string deviceId,
        string port,
        double outageSeconds,
        int attempts,
        long estimatedMissingSamples,
        string numbering);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning,
        Message = "Serial device {DeviceId}: port {Port} is open but silent: no byte for {SilentSeconds:F1} s")]
    public static partial void PortSilent(ILogger logger, string deviceId, string port, double silentSeconds);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information,
        Message = "Serial device {DeviceId}: port {Port} sends again after {SilentSeconds:F1} s of silence")]
    public static partial void PortResumed(ILogger logger, string deviceId, string port, double silentSeconds);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information,
        Message = "Serial device {DeviceId}: stopped reading {Port} after {Bytes} bytes and {Frames} frames")]
    public static partial void SourceStopped(ILogger logger, string deviceId, string port, long bytes, long frames);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning,
        Message = "Serial device {DeviceId}: the block queue is full, so the oldest block ({Frames} frames from "
            + "sample {FirstSample}) was dropped; {TotalFrames} frames dropped so far (logged for drops 1 to 5, "
            + "then every power of ten)")]
    public static partial void BufferFull(
        ILogger logger,
        string deviceId,
        int frames,
        long firstSample,
        long totalFrames);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning,
        Message = "Serial device {DeviceId}: input rejected ({Cause}, occurrence {Occurrence}): {Detail}")]
    public static partial void InputRejected(
        ILogger logger,
        string deviceId,
        IngestRejection cause,
        long occurrence,
        string detail);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information,
        Message = "Serial device {DeviceId}: header line skipped: {Header}")]
    public static partial void HeaderSkipped(ILogger logger, string deviceId, string header);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Error,
        Message = "Serial device {DeviceId}: the reader of {Port} failed and stopped")]
    public static partial void ReaderFailed(ILogger logger, string deviceId, string port, Exception exception);
}
