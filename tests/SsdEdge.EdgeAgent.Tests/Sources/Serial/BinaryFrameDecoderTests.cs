using System.Buffers.Binary;
using Microsoft.Extensions.Logging.Abstractions;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Sources.Serial;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Sources.Serial;

public sealed class BinaryFrameDecoderTests
{
    private const string DeviceId = "binary-01";

    private readonly IngestCounters _counters = new();

    [Fact]
    public void Crc16_CheckValue_Matches()
    {
        Assert.Equal(0x29B1, Crc16Ccitt.Compute("123456789"u8));
    }

    [Fact]
    public void Encode_Header_FollowsLayout()
    {
        var packet = BinaryFrameEncoder.Encode(0x01020304, 2, [1f, 2f, 3f, 4f, 5f, 6f]);

        Assert.Equal(BinaryFrameFormat.PacketBytes(2, 3), packet.Length);
        Assert.Equal([0xA5, 0x5A, 1, 2, 0x04, 0x03, 0x02, 0x01, 3, 0], packet[..10]);
        Assert.Equal(1f, BinaryPrimitives.ReadSingleLittleEndian(packet.AsSpan(10)));
        Assert.Equal(
            Crc16Ccitt.Compute(packet.AsSpan(0, packet.Length - 2)),
            BinaryPrimitives.ReadUInt16LittleEndian(packet.AsSpan(packet.Length - 2)));
    }

    [Fact]
    public void Encode_DocumentedExample_MatchesBytes()
    {
        byte[] expected =
        [
            0xA5, 0x5A, 0x01, 0x01, 0x07, 0x00, 0x00, 0x00, 0x02, 0x00,
            0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40, 0x8B, 0xCA,
        ];

        Assert.Equal(expected, BinaryFrameEncoder.Encode(7, 1, [1f, 2f]));
    }

    [Fact]
    public void Encode_TooManySamples_Throws()
    {
        Assert.Throws<ArgumentException>(() => BinaryFrameEncoder.Encode(0, 1, new float[1025]));
    }

    [Fact]
    public void Decode_SplitAtEveryByte_MatchesWholeInput()
    {
        var samples = Samples(2 * 9);
        var stream = BinaryFrameEncoder.EncodeStream(100, 2, samples, framesPerPacket: 4);

        for (var split = 0; split <= stream.Length; split++)
        {
            var decoder = new BinaryFrameDecoder(DeviceId, 2, _counters, NullLogger.Instance);
            var frames = new DecodedFrames(2);
            decoder.Decode(stream.AsSpan(0, split), frames);
            decoder.Decode(stream.AsSpan(split), frames);

            Assert.Equal(Enumerable.Range(100, 9).Select(i => (long)i), frames.SampleIndexes);
            Assert.Equal(samples, Values(frames));
        }

        Assert.Empty(_counters.RejectedSnapshot());
    }

    [Fact]
    public void Decode_GarbageBetweenPackets_CountedPerByte()
    {
        var samples = Samples(8);
        byte[] garbage = [0x00, 0xA5, 0x13, 0xFF, 0xA5];
        byte[] stream =
        [
            .. garbage,
            .. BinaryFrameEncoder.Encode(0, 1, samples.AsSpan(0, 4)),
            .. garbage,
            .. BinaryFrameEncoder.Encode(4, 1, samples.AsSpan(4, 4)),
        ];

        var frames = Decode(stream, channelCount: 1);

        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), frames.SampleIndexes);
        Assert.Equal(samples, Values(frames));
        Assert.Equal(10, _counters.Rejected(DeviceId, IngestRejection.Garbage));
    }

    [Fact]
    public void Decode_CorruptPayload_CountsChecksumAndResynchronizes()
    {
        var samples = Samples(12);
        var bad = BinaryFrameEncoder.Encode(0, 1, samples.AsSpan(0, 4));
        bad[12] ^= 0x40;
        byte[] stream =
        [
            .. bad,
            .. BinaryFrameEncoder.Encode(4, 1, samples.AsSpan(4, 4)),
            .. BinaryFrameEncoder.Encode(8, 1, samples.AsSpan(8, 4)),
        ];

        var frames = Decode(stream, channelCount: 1);

        Assert.Equal(Enumerable.Range(4, 8).Select(i => (long)i), frames.SampleIndexes);
        Assert.Equal(1, _counters.Rejected(DeviceId, IngestRejection.ChecksumMismatch));
        Assert.Equal(0, _counters.Rejected(DeviceId, IngestRejection.Garbage));
    }

    [Fact]
    public void Decode_CorruptFrameCount_DoesNotSwallowNextPacket()
    {
        var samples = Samples(8);
        var bad = BinaryFrameEncoder.Encode(0, 1, samples.AsSpan(0, 4));
        bad[8] = 200;
        byte[] stream = [.. bad, .. BinaryFrameEncoder.Encode(4, 1, samples.AsSpan(4, 4))];

        // The bad packet claims 200 frames; the stream ends before that, so more bytes follow.
        var decoder = new BinaryFrameDecoder(DeviceId, 1, _counters, NullLogger.Instance);
        var frames = new DecodedFrames(1);
        decoder.Decode(stream, frames);
        decoder.Decode(new byte[1000], frames);

        Assert.Equal(Enumerable.Range(4, 4).Select(i => (long)i), frames.SampleIndexes);
        Assert.Equal(1, _counters.Rejected(DeviceId, IngestRejection.ChecksumMismatch));
    }

    [Fact]
    public void Decode_WrongChannelCount_SkippedAsGarbage()
    {
        var stream = BinaryFrameEncoder.Encode(0, 2, Samples(4));

        var frames = Decode(stream, channelCount: 1);

        Assert.Equal(0, frames.Count);
        Assert.Equal(stream.Length, _counters.Rejected(DeviceId, IngestRejection.Garbage));
    }

    [Fact]
    public void Decode_OversizedFrameCount_SkippedAsGarbage()
    {
        var packet = BinaryFrameEncoder.Encode(0, 1, Samples(4));
        BinaryPrimitives.WriteUInt16LittleEndian(packet.AsSpan(8), 1025);

        var frames = Decode(packet, channelCount: 1);

        Assert.Equal(0, frames.Count);
        Assert.Equal(packet.Length, _counters.Rejected(DeviceId, IngestRejection.Garbage));
    }

    [Fact]
    public void Decode_OtherVersion_SkippedAsGarbage()
    {
        var packet = BinaryFrameEncoder.Encode(0, 1, Samples(4));
        packet[2] = 2;

        var frames = Decode(packet, channelCount: 1);

        Assert.Equal(0, frames.Count);
        Assert.Equal(packet.Length, _counters.Rejected(DeviceId, IngestRejection.Garbage));
    }

    [Fact]
    public void Decode_SequenceJumpAndRepeat_ReportedFaithfully()
    {
        byte[] stream =
        [
            .. BinaryFrameEncoder.Encode(10, 1, [1f, 2f]),
            .. BinaryFrameEncoder.Encode(20, 1, [3f]),
            .. BinaryFrameEncoder.Encode(20, 1, [4f]),
            .. BinaryFrameEncoder.Encode(18, 1, [5f]),
        ];

        var frames = Decode(stream, channelCount: 1);

        Assert.Equal([10L, 11L, 20L, 20L, 18L], frames.SampleIndexes);
    }

    [Fact]
    public void Decode_SequenceWrapsAt32Bits_Unwrapped()
    {
        byte[] stream =
        [
            .. BinaryFrameEncoder.Encode(uint.MaxValue - 1, 1, [1f, 2f]),
            .. BinaryFrameEncoder.Encode(0, 1, [3f, 4f]),
        ];

        var frames = Decode(stream, channelCount: 1);

        Assert.Equal([4294967294L, 4294967295L, 4294967296L, 4294967297L], frames.SampleIndexes);
    }

    [Fact]
    public void Decode_NonFiniteSamples_BecomeNaNAndCounted()
    {
        var frames = Decode(
            BinaryFrameEncoder.Encode(0, 1, [1f, float.NaN, float.PositiveInfinity, 4f]),
            channelCount: 1);

        var values = Values(frames);
        Assert.Equal(1f, values[0]);
        Assert.True(float.IsNaN(values[1]));
        Assert.True(float.IsNaN(values[2]));
        Assert.Equal(4f, values[3]);
        Assert.Equal(2, _counters.Rejected(DeviceId, IngestRejection.NonFiniteSample));
    }

    [Fact]
    public void Decode_LargeChunkOfPackets_AllDecoded()
    {
        var samples = Samples(5000);

        var frames = Decode(BinaryFrameEncoder.EncodeStream(0, 1, samples, 1024), channelCount: 1);

        Assert.Equal(samples, Values(frames));
    }

    [Fact]
    public void Resynchronize_DropsPartialPacket()
    {
        var decoder = new BinaryFrameDecoder(DeviceId, 1, _counters, NullLogger.Instance);
        var frames = new DecodedFrames(1);
        var first = BinaryFrameEncoder.Encode(0, 1, [1f, 2f]);
        decoder.Decode(first.AsSpan(0, 7), frames);

        decoder.Resynchronize(estimatedMissingSamples: 0);
        decoder.Decode(BinaryFrameEncoder.Encode(2, 1, [3f]), frames);

        Assert.Equal([2L], frames.SampleIndexes);
        Assert.Empty(_counters.RejectedSnapshot());
    }

    private DecodedFrames Decode(byte[] stream, int channelCount)
    {
        var decoder = new BinaryFrameDecoder(DeviceId, channelCount, _counters, NullLogger.Instance);
        var frames = new DecodedFrames(channelCount);
        decoder.Decode(stream, frames);
        return frames;
    }

    private static float[] Samples(int count) =>
        Enumerable.Range(0, count).Select(i => (float)Math.Sin(i * 0.37) * 12.5f).ToArray();

    private static float[] Values(DecodedFrames frames) =>
        Enumerable.Range(0, frames.Count).SelectMany(i => frames.Frame(i).ToArray()).ToArray();
}
