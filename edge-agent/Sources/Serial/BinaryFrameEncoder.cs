using System.Buffers.Binary;

namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>Writes packets of the binary serial protocol (<see cref="BinaryFrameFormat"/>), as a
/// device's firmware would.</summary>
public static class BinaryFrameEncoder
{
    /// <summary>Returns one packet carrying <paramref name="frames"/>.</summary>
    /// <param name="firstSequence">Sequence number of the first frame.</param>
    /// <param name="channelCount">Channels per frame, 1 to <see cref="BinaryFrameFormat.MaxChannels"/>.</param>
    /// <param name="frames">Samples interleaved by frame; a whole number of frames, at most
    /// <see cref="BinaryFrameFormat.MaxSamplesPerPacket"/> samples.</param>
    /// <exception cref="ArgumentException">The channel count or sample count is out of range.</exception>
    public static byte[] Encode(uint firstSequence, int channelCount, ReadOnlySpan<float> frames)
    {
        CheckSizes(channelCount, frames.Length, nameof(frames));
        var packet = new byte[BinaryFrameFormat.PacketBytes(channelCount, frames.Length / channelCount)];
        Write(firstSequence, channelCount, frames, packet);
        return packet;
    }

    /// <summary>Writes one packet carrying <paramref name="frames"/> into <paramref name="destination"/>
    /// and returns its length.</summary>
    /// <exception cref="ArgumentException">The channel count or sample count is out of range, or the
    /// destination is too short.</exception>
    public static int Write(uint firstSequence, int channelCount, ReadOnlySpan<float> frames, Span<byte> destination)
    {
        CheckSizes(channelCount, frames.Length, nameof(frames));
        var frameCount = frames.Length / channelCount;
        var length = BinaryFrameFormat.PacketBytes(channelCount, frameCount);
        if (destination.Length < length)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} bytes; the packet needs {length}.", nameof(destination));
        }

        destination[0] = BinaryFrameFormat.Sync0;
        destination[1] = BinaryFrameFormat.Sync1;
        destination[2] = BinaryFrameFormat.Version;
        destination[3] = (byte)channelCount;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], firstSequence);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], (ushort)frameCount);
        var offset = BinaryFrameFormat.HeaderBytes;
        foreach (var sample in frames)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination[offset..], sample);
            offset += sizeof(float);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], Crc16Ccitt.Compute(destination[..offset]));
        return length;
    }

    /// <summary>Returns packets for a whole stream: <paramref name="frames"/> cut into packets of at
    /// most <paramref name="framesPerPacket"/> frames, numbered from <paramref name="firstSequence"/>.</summary>
    public static byte[] EncodeStream(uint firstSequence, int channelCount, ReadOnlySpan<float> frames, int framesPerPacket)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(framesPerPacket);
        CheckSizes(channelCount, channelCount * framesPerPacket, nameof(framesPerPacket));
        if (frames.Length % channelCount != 0)
        {
            throw new ArgumentException(
                $"{frames.Length} samples are not a whole number of frames of {channelCount} channel(s).",
                nameof(frames));
        }

        using var stream = new MemoryStream();
        var totalFrames = frames.Length / channelCount;
        for (var first = 0; first < totalFrames; first += framesPerPacket)
        {
            var count = Math.Min(framesPerPacket, totalFrames - first);
            var slice = frames.Slice(first * channelCount, count * channelCount);
            stream.Write(Encode(unchecked(firstSequence + (uint)first), channelCount, slice));
        }

        return stream.ToArray();
    }

    private static void CheckSizes(int channelCount, int sampleCount, string paramName)
    {
        if (channelCount is < 1 or > BinaryFrameFormat.MaxChannels)
        {
            throw new ArgumentOutOfRangeException(
                nameof(channelCount), channelCount, $"A frame has 1 to {BinaryFrameFormat.MaxChannels} channels.");
        }

        if (sampleCount % channelCount != 0
            || sampleCount == 0
            || sampleCount > BinaryFrameFormat.MaxSamplesPerPacket)
        {
            throw new ArgumentException(
                $"A packet carries a whole number of frames of {channelCount} channel(s), 1 to "
                + $"{BinaryFrameFormat.MaxSamplesPerPacket} samples in all; got {sampleCount} samples.",
                paramName);
        }
    }
}
