namespace SsdEdge.EdgeAgent.Sources;

/// <summary>Why input from a device was dropped before it became samples of a window.</summary>
/// <remarks>Each cause is a label of the agent's metrics and a key of its summary.</remarks>
public enum IngestRejection
{
    /// <summary>A text line whose fields could not be read as numbers.</summary>
    NonNumericField,

    /// <summary>A text line with more or fewer fields than the column map needs.</summary>
    WrongFieldCount,

    /// <summary>A text line longer than the configured limit, discarded up to its end.</summary>
    OverlongLine,

    /// <summary>Bytes that belong to no frame or line of the protocol.</summary>
    Garbage,

    /// <summary>A binary frame whose checksum does not match its contents.</summary>
    ChecksumMismatch,

    /// <summary>A sample that is NaN or infinite.</summary>
    NonFiniteSample,

    /// <summary>A sample whose sequence number was already received.</summary>
    DuplicateSample,

    /// <summary>A message that does not follow the payload schema.</summary>
    InvalidPayload,

    /// <summary>A message larger than the configured limit.</summary>
    OversizedPayload,

    /// <summary>A message for a device the agent does not know or cannot take.</summary>
    UnknownDevice,

    /// <summary>Samples a full buffer could not take.</summary>
    BufferFull,

    /// <summary>A message with a channel the model does not have.</summary>
    UnknownChannel,
}
