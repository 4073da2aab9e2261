namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>Snapshot of one serial port, for health checks and metrics.</summary>
/// <param name="DeviceId">Device read from the port.</param>
/// <param name="Port">Path of the port.</param>
/// <param name="State">Connection state.</param>
/// <param name="LastDataTime">Wall-clock time of the latest byte received, or null before the first.</param>
/// <param name="LastDataTimestamp"><see cref="TimeProvider.GetTimestamp"/> of the latest byte
/// received, or null before the first.</param>
/// <param name="Reopens">Times the port was reopened after it was lost.</param>
/// <param name="LastError">Why the port was last lost or failed to open, or null.</param>
/// <param name="BytesReceived">Bytes read from the port so far.</param>
/// <param name="FramesDecoded">Frames decoded so far, NaN frames that keep a rejected line's time slot
/// included.</param>
public sealed record SerialPortStatus(
    string DeviceId,
    string Port,
    SerialPortState State,
    DateTimeOffset? LastDataTime,
    long? LastDataTimestamp,
    int Reopens,
    string? LastError,
    long BytesReceived,
    long FramesDecoded);
