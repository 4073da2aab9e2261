using System.Buffers;
using System.Text;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Sources.Mqtt;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Sources.Mqtt;

public sealed class SamplePayloadDecoderTests
{
    private readonly SamplePayloadDecoder _decoder = new(["eda", "ecg"], defaultRateHz: 512);

    [Fact]
    public void Decode_Json_InterleavesInModelOrder()
    {
        var payload = Decode("""{"seq": 42, "rate": 100, "channels": {"ecg": [0.5, 0.25], "eda": [1.5, 2.5]}}""");

        Assert.Equal(42, payload.FirstSample);
        Assert.Equal(100, payload.RateHz);
        Assert.Equal([1.5f, 0.5f, 2.5f, 0.25f], payload.Frames);
        Assert.Equal(0, payload.NonFiniteSamples);
    }

    [Fact]
    public void Decode_JsonWithoutRate_UsesDefault()
    {
        var payload = Decode("""{"seq": 0, "channels": {"eda": [1], "ECG": [2]}}""");

        Assert.Equal(512, payload.RateHz);
    }

    [Fact]
    public void Decode_NullSample_BecomesNaNAndCounted()
    {
        var payload = Decode("""{"seq": 0, "channels": {"eda": [1, null], "ecg": [2, 3]}}""");

        Assert.True(float.IsNaN(payload.Frames[2]));
        Assert.Equal(1, payload.NonFiniteSamples);
    }

    [Theory]
    [InlineData("{not json", "invalid JSON")]
    [InlineData("[1, 2]", "not an object")]
    [InlineData("""{"rate": 100, "channels": {"eda": [1], "ecg": [2]}}""", "'seq' is missing")]
    [InlineData("""{"seq": -1, "channels": {"eda": [1], "ecg": [2]}}""", "'seq' is -1")]
    [InlineData("""{"seq": 1.5, "channels": {"eda": [1], "ecg": [2]}}""", "'seq' is 1.5")]
    [InlineData("""{"seq": 4611686018427387905, "channels": {"eda": [1], "ecg": [2]}}""", "'seq' is 4611686018427387905")]
    [InlineData("""{"seq": 0, "rate": 0, "channels": {"eda": [1], "ecg": [2]}}""", "'rate' is 0")]
    [InlineData("""{"seq": 0, "channels": {"eda": [1, 2], "ecg": [2]}}""", "'ecg' has 1 samples")]
    [InlineData("""{"seq": 0, "channels": {"eda": [1]}}""", "channel 'ecg' is missing")]
    [InlineData("""{"seq": 0, "channels": {"eda": [], "ecg": []}}""", "empty")]
    [InlineData("""{"seq": 0, "channels": {"eda": ["1"], "ecg": [2]}}""", "use a number or null")]
    [InlineData("""{"seq": 0, "channels": {"eda": [1], "ecg": [2]}, "extra": 1}""", "unknown property 'extra'")]
    [InlineData("""{"seq": 0, "channels": {"eda": [1], "eda": [1], "ecg": [2]}}""", "appears twice")]
    public void Decode_SchemaViolation_RejectedAsInvalid(string json, string expected)
    {
        var error = Assert.Throws<PayloadRejectedException>(() => Decode(json));

        Assert.Equal(IngestRejection.InvalidPayload, error.Cause);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_UnknownChannel_RejectedAsUnknown()
    {
        var error = Assert.Throws<PayloadRejectedException>(
            () => Decode("""{"seq": 0, "channels": {"eda": [1], "ecg": [2], "temp": [3]}}"""));

        Assert.Equal(IngestRejection.UnknownChannel, error.Cause);
        Assert.Contains("unknown channel 'temp'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Binary_ReadsHeaderAndSamples()
    {
        var bytes = Binary(seq: 7, frameCount: 2, channelCount: 2, [1f, 2f, float.PositiveInfinity, 4f]);

        var payload = _decoder.Decode(new ReadOnlySequence<byte>(bytes));

        Assert.Equal(7, payload.FirstSample);
        Assert.Equal(512, payload.RateHz);
        Assert.Equal(1f, payload.Frames[0]);
        Assert.True(float.IsNaN(payload.Frames[2]));
        Assert.Equal(1, payload.NonFiniteSamples);
    }

    [Theory]
    [InlineData(2, 3, 2, "declares 3 frames")]
    [InlineData(2, 2, 3, "has 3 channels")]
    [InlineData(2, 0, 2, "at least one frame")]
    public void Decode_BadBinary_RejectedAsInvalid(int valuesPerChannel, int frameCount, int channelCount, string expected)
    {
        var bytes = Binary(0, (uint)frameCount, (byte)channelCount, new float[valuesPerChannel * 2]);

        var error = Assert.Throws<PayloadRejectedException>(() => _decoder.Decode(new ReadOnlySequence<byte>(bytes)));

        Assert.Equal(IngestRejection.InvalidPayload, error.Cause);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encoder_JsonRoundTrip_BitIdentical()
    {
        var device = new DeviceDescriptor("d", ["eda", "ecg"], 512);
        var random = new Random(5);
        var frames = Enumerable.Range(0, 200).Select(_ => (float)(random.NextDouble() * 1e3 - 500)).ToArray();
        var block = new SampleBlock(device, 1234, frames);

        var json = _decoder.Decode(new ReadOnlySequence<byte>(SamplePayloadEncoder.ToJson(block)));
        var binary = _decoder.Decode(new ReadOnlySequence<byte>(SamplePayloadEncoder.ToBinary(block)));

        Assert.Equal(frames, json.Frames);
        Assert.Equal(frames, binary.Frames);
        Assert.Equal(1234, json.FirstSample);
        Assert.Equal(1234, binary.FirstSample);
    }

    private SamplePayload Decode(string json) =>
        _decoder.Decode(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)));

    private static byte[] Binary(ulong seq, uint frameCount, byte channelCount, float[] values)
    {
        var bytes = new byte[18 + (values.Length * 4)];
        "SSDB"u8.CopyTo(bytes);
        bytes[4] = 1;
        bytes[5] = channelCount;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(6), seq);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(14), frameCount);
        for (var i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(18 + (i * 4)), values[i]);
        }

        return bytes;
    }
}
