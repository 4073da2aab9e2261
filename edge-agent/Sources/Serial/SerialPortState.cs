namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>Connection state of one serial port.</summary>
public enum SerialPortState
{
    /// <summary>Not read yet, or the first open has not succeeded.</summary>
    Connecting,

    /// <summary>Open and receiving bytes.</summary>
    Connected,

    /// <summary>Open, but no byte arrived for <see cref="SerialDeviceOptions.SilenceSeconds"/>.</summary>
    Silent,

    /// <summary>Lost after it was open; reopen attempts run with backoff.</summary>
    Reconnecting,

    /// <summary>Reading stopped: cancelled, disposed or failed.</summary>
    Stopped,
}
