namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>Wire format a serial device sends; both are described in docs/serial-protocol.md.</summary>
public enum SerialProtocol
{
    /// <summary>One text line per frame: delimited numbers, optionally with a sample counter.</summary>
    Line,

    /// <summary>Framed binary: sync bytes, a header with a sequence number, float32 samples and a
    /// CRC-16.</summary>
    Binary,
}
