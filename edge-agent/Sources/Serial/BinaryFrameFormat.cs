namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>
/// Layout of the binary serial protocol, version 1. All multi-byte fields are little-endian.
/// </summary>
/// <remarks>
/// <code>
/// offset  size  field
///      0     2  sync: 0xA5 0x5A
///      2     1  version: 1
///      3     1  channel count C, 1 to 64
///      4     4  sequence number of the first frame (uint32, wraps at 2^32)
///      8     2  frame count N (uint16), 1 or more, with C * N at most 1024
///     10  4*C*N samples: float32, interleaved by frame (f0c0, f0c1, ..., f1c0, ...)
///  10+4CN    2  CRC-16/CCITT-FALSE of bytes 0 to 10+4CN-1
/// </code>
/// A frame is one sample of every channel; a packet carries N consecutive frames, numbered from
/// the sequence number up. docs/serial-protocol.md describes the protocol for firmware authors.
/// </remarks>
public static class BinaryFrameFormat
{
    /// <summary>First sync byte.</summary>
    public const byte Sync0 = 0xA5;

    /// <summary>Second sync byte.</summary>
    public const byte Sync1 = 0x5A;

    /// <summary>The protocol version this build reads and writes.</summary>
    public const byte Version = 1;

    /// <summary>Bytes before the samples: sync, version, channel count, sequence, frame count.</summary>
    public const int HeaderBytes = 10;

    /// <summary>Bytes of the trailing checksum.</summary>
    public const int ChecksumBytes = 2;

    /// <summary>Most channels in one frame.</summary>
    public const int MaxChannels = 64;

    /// <summary>Most samples (channels times frames) in one packet, so a packet is at most 4 KiB of
    /// samples.</summary>
    public const int MaxSamplesPerPacket = 1024;

    /// <summary>Largest packet in bytes, header and checksum included.</summary>
    public const int MaxPacketBytes = HeaderBytes + (MaxSamplesPerPacket * sizeof(float)) + ChecksumBytes;

    /// <summary>Returns the size in bytes of a packet of <paramref name="frameCount"/> frames.</summary>
    public static int PacketBytes(int channelCount, int frameCount) =>
        HeaderBytes + (channelCount * frameCount * sizeof(float)) + ChecksumBytes;
}
