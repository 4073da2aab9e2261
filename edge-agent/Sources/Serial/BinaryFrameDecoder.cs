using System.Buffers.Binary;
using Microsoft.Extensions.Logging;

namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>
/// Decodes the binary protocol of <see cref="BinaryFrameFormat"/> from bytes in chunks split
/// anywhere.
/// </summary>
/// <remarks>
/// <para>The decoder searches for the sync bytes, checks the header (version 1, the configured
/// channel count, 1 or more frames, at most <see cref="BinaryFrameFormat.MaxSamplesPerPacket"/>
/// samples) and the CRC-16, and only then emits the packet's frames. Bytes skipped while searching
/// are counted per byte as <see cref="IngestRejection.Garbage"/>. A packet whose checksum does not
/// match is counted once as <see cref="IngestRejection.ChecksumMismatch"/>, and the search resumes
/// one byte after its sync, so a corrupted length cannot swallow the packets after it; the bytes of
/// the rejected packet are not counted again as garbage. At most one packet
/// (<see cref="BinaryFrameFormat.MaxPacketBytes"/>) is buffered.</para>
/// <para>Sample indexes are the packet's sequence number unwrapped over 2^32 by
/// <see cref="SequenceUnwrapper"/>, plus the frame's position in the packet. A NaN or infinite
/// sample becomes NaN and is counted as <see cref="IngestRejection.NonFiniteSample"/>, so the
/// quality gate rejects the windows that contain it.</para>
/// </remarks>
public sealed class BinaryFrameDecoder : ISerialDecoder
{
    private readonly int _channelCount;
    private readonly RejectionReporter _rejections;
    private readonly SequenceUnwrapper _unwrapper = new(1L << 32);
    private readonly byte[] _buffer = new byte[BinaryFrameFormat.MaxPacketBytes * 2];
    private readonly float[] _frame;
    private int _start;
    private int _end;

    /// <summary>Stream position of <c>_buffer[_start]</c>, counted from the decoder's creation.</summary>
    private long _position;

    /// <summary>Stream position up to which skipped bytes belong to a packet already counted as a
    /// checksum mismatch.</summary>
    private long _countedUntil;

    private bool _anyFrame;

    /// <summary>Creates a decoder for packets of <paramref name="channelCount"/> channels.</summary>
    /// <param name="deviceId">Device whose rejections are counted.</param>
    /// <param name="channelCount">Channels per frame the device is configured with.</param>
    /// <param name="counters">Receives every rejection.</param>
    /// <param name="logger">Receives rejections, rate-limited.</param>
    public BinaryFrameDecoder(string deviceId, int channelCount, IngestCounters counters, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channelCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channelCount, BinaryFrameFormat.MaxChannels);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(logger);
        _channelCount = channelCount;
        _rejections = new RejectionReporter(deviceId, counters, logger);
        _frame = new float[channelCount];
    }

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> bytes, DecodedFrames output)
    {
        ArgumentNullException.ThrowIfNull(output);
        while (!bytes.IsEmpty)
        {
            if (_start > 0 && _end + bytes.Length > _buffer.Length)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            var take = Math.Min(bytes.Length, _buffer.Length - _end);
            bytes[..take].CopyTo(_buffer.AsSpan(_end));
            _end += take;
            bytes = bytes[take..];
            DecodeBuffered(output);
        }
    }

    /// <inheritdoc />
    /// <remarks>The packet header carries the sequence number, so the estimate only steers the
    /// unwrapping when the device was away for more than 2^31 samples.</remarks>
    public void Resynchronize(long estimatedMissingSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(estimatedMissingSamples);
        _position += _end - _start;
        _countedUntil = _position;
        _start = 0;
        _end = 0;
        if (_anyFrame)
        {
            _unwrapper.ExpectAfterOutage(estimatedMissingSamples);
        }
    }

    private void DecodeBuffered(DecodedFrames output)
    {
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var sync = available.IndexOf([BinaryFrameFormat.Sync0, BinaryFrameFormat.Sync1]);
            if (sync < 0)
            {
                // A last byte equal to the first sync byte may begin the next packet.
                var keep = available.Length > 0 && available[^1] == BinaryFrameFormat.Sync0 ? 1 : 0;
                Skip(available.Length - keep, "no sync bytes found");
                return;
            }

            if (sync > 0)
            {
                Skip(sync, "bytes before the next sync");
                available = available[sync..];
            }

            if (available.Length < BinaryFrameFormat.HeaderBytes)
            {
                return;
            }

            if (HeaderProblem(available) is { } problem)
            {
                Skip(1, problem);
                continue;
            }

            var frameCount = BinaryPrimitives.ReadUInt16LittleEndian(available[8..]);
            var length = BinaryFrameFormat.PacketBytes(_channelCount, frameCount);
            if (available.Length < length)
            {
                return;
            }

            var checksumOffset = length - BinaryFrameFormat.ChecksumBytes;
            var expected = BinaryPrimitives.ReadUInt16LittleEndian(available[checksumOffset..]);
            var actual = Crc16Ccitt.Compute(available[..checksumOffset]);
            if (expected != actual)
            {
                var sequence = BinaryPrimitives.ReadUInt32LittleEndian(available[4..]);
                _rejections.Reject(
                    IngestRejection.ChecksumMismatch,
                    $"packet of {frameCount} frame(s) with sequence {sequence} has CRC 0x{expected:X4}, computed "
                    + $"0x{actual:X4}; searching for the next sync");
                _countedUntil = Math.Max(_countedUntil, _position + length);
                Advance(1);
                continue;
            }

            EmitFrames(available[..checksumOffset], frameCount, output);
            Advance(length);
        }
    }

    private string? HeaderProblem(ReadOnlySpan<byte> header)
    {
        var version = header[2];
        if (version != BinaryFrameFormat.Version)
        {
            return $"a sync is followed by version {version}; this reader accepts version {BinaryFrameFormat.Version}";
        }

        var channels = header[3];
        if (channels != _channelCount)
        {
            return $"a packet header declares {channels} channel(s); the device is configured with {_channelCount}";
        }

        var frameCount = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        if (frameCount == 0 || frameCount * _channelCount > BinaryFrameFormat.MaxSamplesPerPacket)
        {
            return $"a packet header declares {frameCount} frame(s); a packet carries 1 to "
                + $"{BinaryFrameFormat.MaxSamplesPerPacket / _channelCount}";
        }

        return null;
    }

    private void EmitFrames(ReadOnlySpan<byte> packet, int frameCount, DecodedFrames output)
    {
        var sequence = BinaryPrimitives.ReadUInt32LittleEndian(packet[4..]);
        var first = _unwrapper.Unwrap(sequence, frameCount);
        var samples = packet[BinaryFrameFormat.HeaderBytes..];
        var nonFinite = 0;
        for (var f = 0; f < frameCount; f++)
        {
            for (var c = 0; c < _channelCount; c++)
            {
                var value = BinaryPrimitives.ReadSingleLittleEndian(samples[(((f * _channelCount) + c) * sizeof(float))..]);
                if (!float.IsFinite(value))
                {
                    value = float.NaN;
                    nonFinite++;
                }

                _frame[c] = value;
            }

            output.Add(first + f, _frame);
        }

        _anyFrame = true;
        if (nonFinite > 0)
        {
            _rejections.Reject(
                IngestRejection.NonFiniteSample,
                $"packet with sequence {sequence} has {nonFinite} NaN or infinite sample(s), kept as NaN",
                nonFinite);
        }
    }

    /// <summary>Skips <paramref name="count"/> bytes that belong to no packet and counts those not
    /// already counted with a rejected packet.</summary>
    private void Skip(int count, string reason)
    {
        if (count <= 0)
        {
            return;
        }

        var uncounted = Math.Clamp(_position + count - Math.Max(_position, _countedUntil), 0, count);
        if (uncounted > 0)
        {
            _rejections.Reject(IngestRejection.Garbage, $"{uncounted} byte(s) skipped: {reason}", uncounted);
        }

        Advance(count);
    }

    private void Advance(int count)
    {
        _start += count;
        _position += count;
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
        }
    }
}
