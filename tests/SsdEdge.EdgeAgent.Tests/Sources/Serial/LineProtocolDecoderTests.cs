using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Sources.Serial;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Sources.Serial;

public sealed class LineProtocolDecoderTests
{
    private const string DeviceId = "line-01";

    private readonly IngestCounters _counters = new();

    [Fact]
    public void Decode_SplitAtEveryByte_MatchesWholeInput()
    {
        var text = "\r\nECG,EDA\r\n0.5,13.25\r\n\n-0.25,13.5\r1e-3,1.4E1\nx,y\n7,8\r\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        var whole = Decode(Options(), bytes);

        for (var split = 0; split <= bytes.Length; split++)
        {
            var counters = new IngestCounters();
            var decoder = new LineProtocolDecoder(Options(), counters, NullLogger.Instance);
            var frames = new DecodedFrames(1);
            decoder.Decode(bytes.AsSpan(0, split), frames);
            decoder.Decode(bytes.AsSpan(split), frames);

            Assert.Equal(whole.Indexes, frames.SampleIndexes);
            Assert.Equal(whole.Values, Values(frames));
            Assert.Equal(1, counters.Rejected(DeviceId, IngestRejection.NonNumericField));
        }
    }

    [Fact]
    public void Decode_OneByteAtATime_MatchesWholeInput()
    {
        var bytes = Encoding.UTF8.GetBytes("ECG,EDA\r\n0.5,13.25\r\n-0.25,13.5\n");
        var whole = Decode(Options(), bytes);
        var decoder = new LineProtocolDecoder(Options(), new IngestCounters(), NullLogger.Instance);
        var frames = new DecodedFrames(1);

        foreach (var value in bytes)
        {
            decoder.Decode([value], frames);
        }

        Assert.Equal(whole.Indexes, frames.SampleIndexes);
        Assert.Equal(whole.Values, Values(frames));
    }

    [Fact]
    public void Decode_CrLfAndCrlf_EndLines()
    {
        var result = Decode(Options(), "1,2\r3,4\n5,6\r\n");

        Assert.Equal([0L, 1L, 2L], result.Indexes);
        Assert.Equal([2f, 4f, 6f], result.Values);
    }

    [Fact]
    public void Decode_HeaderLine_SkippedWithoutCount()
    {
        var result = Decode(Options(), "ECG,EDA\n0.1,5\n");

        Assert.Equal([0L], result.Indexes);
        Assert.Equal([5f], result.Values);
        Assert.Empty(_counters.RejectedSnapshot());
    }

    [Fact]
    public void Decode_BlankLines_Skipped()
    {
        var result = Decode(Options(), "\n\n0.1,5\n  \n\t\n0.2,6\n");

        Assert.Equal([0L, 1L], result.Indexes);
        Assert.Empty(_counters.RejectedSnapshot());
    }

    [Fact]
    public void Decode_GarbageLine_CountedAndKeepsSlot()
    {
        var bytes = Concat("0.1,5\n", [0x00, 0x13, 0x07], "\n0.3,7\n");

        var result = Decode(Options(), bytes);

        Assert.Equal([0L, 1L, 2L], result.Indexes);
        Assert.Equal(5f, result.Values[0]);
        Assert.True(float.IsNaN(result.Values[1]));
        Assert.Equal(7f, result.Values[2]);
        Assert.Equal(1, _counters.Rejected(DeviceId, IngestRejection.Garbage));
    }

    [Fact]
    public void Decode_InvalidUtf8_CountedAsGarbage()
    {
        var bytes = Concat("0.1,5\n0.2,", [0xFF, 0xFE], "\n0.3,7\n");

        var result = Decode(Options(), bytes);

        Assert.Equal(3, result.Indexes.Count);
        Assert.True(float.IsNaN(result.Values[1]));
        Assert.Equal(1, _counters.Rejected(DeviceId, IngestRejection.Garbage));
    }

    [Fact]
    public void Decode_OverlongLine_DiscardedAndCountedOnce()
    {
        var options = Options();
        options.MaxLineBytes = 16;
        var bytes = Encoding.ASCII.GetBytes("0.1,5\n" + new string('9', 100) + ",1\n0.3,7\n");
        var decoder = new LineProtocolDecoder(options, _counters, NullLogger.Instance);
        var frames = new DecodedFrames(1);

        // Chunks of 7 bytes make the line overflow across several calls.
        for (var offset = 0; offset < bytes.Length; offset += 7)
        {
            decoder.Decode(bytes.AsSpan(offset, Math.Min(7, bytes.Length - offset)), frames);
        }

        Assert.Equal([0L, 1L, 2L], frames.SampleIndexes);
        Assert.True(float.IsNaN(frames.Frame(1)[0]));
        Assert.Equal(7f, frames.Frame(2)[0]);
        Assert.Equal(1, _counters.Rejected(DeviceId, IngestRejection.OverlongLine));
    }

    [Fact]
    public void Decode_LineOfExactlyMaxBytes_Accepted()
    {
        var options = Options();
        options.MaxLineBytes = 16;

        var result = Decode(options, "0.1,5.0000000001\n");

        Assert.Equal([0L], result.Indexes);
        Assert.Equal(0, _counters.Rejected(DeviceId, IngestRejection.OverlongLine));
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("NaN")]
    [InlineData("-nan")]
    [InlineData("inf")]
    [InlineData("-inf")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e999")]
    public void Decode_NonFiniteValue_BecomesNaNAndCounted(string value)
    {
        var result = Decode(Options(), $"0.1,5\n0.2,{value}\n0.3,7\n");

        Assert.Equal([0L, 1L, 2L], result.Indexes);
        Assert.True(float.IsNaN(result.Values[1]));
        Assert.Equal(1, _counters.Rejected(DeviceId, IngestRejection.NonFiniteSample));
        Assert.Equal(0, _counters.Rejected(DeviceId, IngestRejection.NonNumericField));
    }

    [Fact]
    public void Decode_WrongFieldCount_CountedAndKeepsSlot()
    {
        var result = Decode(Options(), "0.1,5\n0.2\n0.3,7,9\n0.4,8\n");

        Assert.Equal([0L, 1L, 2L, 3L], result.Indexes);
        Assert.True(float.IsNaN(result.Values[1]));
        Assert.True(float.IsNaN(result.Values[2]));
        Assert.Equal(8f, result.Values[3]);
        Assert.Equal(2, _counters.Rejected(DeviceId, IngestRejection.WrongFieldCount));
    }

    [Fact]
    public void Decode_NonNumericField_CountedAndKeepsSlot()
    {
        var result = Decode(Options(), "0.1,5\n0.2,abc\n0.3,1,5\n0.4,8\n");

        Assert.Equal([0L, 1L, 2L, 3L], result.Indexes);
        Assert.True(float.IsNaN(result.Values[1]));
        Assert.Equal(1, _counters.Rejected(DeviceId, IngestRejection.NonNumericField));
        Assert.Equal(1, _counters.Rejected(DeviceId, IngestRejection.WrongFieldCount));
    }

    [Fact]
    public void Decode_UnmappedFieldNotNumber_Accepted()
    {
        var result = Decode(Options(), "0.1,5\nx,6\n");

        Assert.Equal([5f, 6f], result.Values);
        Assert.Empty(_counters.RejectedSnapshot());
    }

    [Fact]
    public void Decode_RejectedBeforeFirstValid_TakesNoSlot()
    {
        var result = Decode(Options(), "header,line\nbad,line\n0.1,5\n");

        Assert.Equal([0L], result.Indexes);
        Assert.Equal(1, _counters.Rejected(DeviceId, IngestRejection.NonNumericField));
    }

    [Fact]
    public void Decode_SequenceField_DroppedLineBecomesGap()
    {
        var options = SequencedOptions(modulo: null);

        var result = Decode(options, "0\t5\n1\t6\n2\tabc\n3\t8\n");

        Assert.Equal([0L, 1L, 3L], result.Indexes);
        Assert.Equal([5f, 6f, 8f], result.Values);
        Assert.Equal(1, _counters.Rejected(DeviceId, IngestRejection.NonNumericField));
    }

    [Fact]
    public void Decode_SequenceWraps_Unwrapped()
    {
        var result = Decode(SequencedOptions(modulo: 16), "14\t1\n15\t2\n0\t3\n1\t4\n");

        Assert.Equal([14L, 15L, 16L, 17L], result.Indexes);
    }

    [Fact]
    public void Decode_SequenceJumpAndRepeat_ReportedFaithfully()
    {
        var result = Decode(SequencedOptions(modulo: 65536), "0\t1\n1\t2\n5\t3\n5\t4\n6\t5\n3\t6\n");

        Assert.Equal([0L, 1L, 5L, 5L, 6L, 3L], result.Indexes);
    }

    [Fact]
    public void Decode_SequenceOutOfRange_Rejected()
    {
        var result = Decode(SequencedOptions(modulo: 16), "1\t1\n16\t2\n-1\t3\n2\t4\n");

        Assert.Equal([1L, 2L], result.Indexes);
        Assert.Equal(2, _counters.Rejected(DeviceId, IngestRejection.NonNumericField));
    }

    [Fact]
    public void Decode_SequenceFieldDefault_SkipsCounterField()
    {
        var options = SequencedOptions(modulo: null);

        Assert.Equal([1], options.ResolveFields());
    }

    [Theory]
    [InlineData("1\t2\t3\n", 3f)]
    [InlineData("1;2;3\n", 3f)]
    [InlineData("1,2,3\n", 3f)]
    [InlineData("1  2   3\n", 3f)]
    [InlineData("1,2,3,\n", 3f)]
    public void Decode_AutoDelimiter_Detected(string line, float expected)
    {
        var options = Options();
        options.Channels.Clear();
        options.Channels.Add(new SerialChannelOptions("eda", 2));

        var result = Decode(options, line);

        Assert.Equal([expected], result.Values);
    }

    [Fact]
    public void Decode_ExplicitDelimiter_Used()
    {
        var options = Options();
        options.Delimiter = "semicolon";

        var result = Decode(options, "0,1;5,5\n0,2;6,5\n0,3;7\n");

        Assert.Equal([7f], result.Values);
        Assert.Equal(1, _counters.Rejected(DeviceId, IngestRejection.NonNumericField));
    }

    [Fact]
    public void Decode_TwoChannels_InConfiguredOrder()
    {
        var options = Options();
        options.Channels.Clear();
        options.Channels.Add(new SerialChannelOptions("eda", 1));
        options.Channels.Add(new SerialChannelOptions("ecg", 0));
        var decoder = new LineProtocolDecoder(options, _counters, NullLogger.Instance);
        var frames = new DecodedFrames(2);

        decoder.Decode("0.5,13\n"u8, frames);

        Assert.Equal([13f, 0.5f], frames.Frame(0).ToArray());
    }

    [Fact]
    public void Resynchronize_DropsPartialLineAndJumps()
    {
        var decoder = new LineProtocolDecoder(Options(), _counters, NullLogger.Instance);
        var frames = new DecodedFrames(1);
        decoder.Decode("0.1,5\n0.2,6\n0.3,"u8, frames);

        decoder.Resynchronize(estimatedMissingSamples: 40);
        decoder.Decode("3,9\n0.4,7\n"u8, frames);

        Assert.Equal([0L, 1L, 42L], frames.SampleIndexes);
        Assert.Equal(7f, frames.Frame(2)[0]);
        Assert.Empty(_counters.RejectedSnapshot());
    }

    [Fact]
    public void Resynchronize_NoEstimate_StillLeavesGap()
    {
        var decoder = new LineProtocolDecoder(Options(), _counters, NullLogger.Instance);
        var frames = new DecodedFrames(1);
        decoder.Decode("0.1,5\n"u8, frames);

        decoder.Resynchronize(estimatedMissingSamples: 0);
        decoder.Decode("\n0.2,6\n"u8, frames);

        Assert.Equal([0L, 2L], frames.SampleIndexes);
    }

    [Fact]
    public void Resynchronize_FirstOpen_StartsAtZero()
    {
        var decoder = new LineProtocolDecoder(Options(), _counters, NullLogger.Instance);
        var frames = new DecodedFrames(1);

        decoder.Resynchronize(estimatedMissingSamples: 0);
        decoder.Decode("13.2\n0.1,5\n"u8, frames);

        Assert.Equal([0L], frames.SampleIndexes);
        Assert.Equal(5f, frames.Frame(0)[0]);
    }

    [Fact]
    public void Resynchronize_WithWrappingCounter_UsesEstimate()
    {
        var decoder = new LineProtocolDecoder(SequencedOptions(modulo: 16), _counters, NullLogger.Instance);
        var frames = new DecodedFrames(1);
        decoder.Decode("3\t1\n"u8, frames);

        // The clock estimates 101 samples lost. The counter, from 3 to 8, gives 100 (mod 16).
        decoder.Resynchronize(estimatedMissingSamples: 101);
        decoder.Decode("\n8\t2\n"u8, frames);

        Assert.Equal([3L, 104L], frames.SampleIndexes);
    }

    private static SerialDeviceOptions Options()
    {
        var options = new SerialDeviceOptions
        {
            DeviceId = DeviceId,
            Port = "/dev/null",
            SamplingRateHz = 100,
        };
        options.Channels.Add(new SerialChannelOptions("eda", 1));
        return options;
    }

    private static SerialDeviceOptions SequencedOptions(long? modulo)
    {
        var options = new SerialDeviceOptions
        {
            DeviceId = DeviceId,
            Port = "/dev/null",
            SamplingRateHz = 1000,
            SequenceField = 0,
            SequenceModulo = modulo,
        };
        options.Channels.Add(new SerialChannelOptions("eda"));
        return options;
    }

    private (IReadOnlyList<long> Indexes, float[] Values) Decode(SerialDeviceOptions options, string text) =>
        Decode(options, Encoding.UTF8.GetBytes(text));

    private (IReadOnlyList<long> Indexes, float[] Values) Decode(SerialDeviceOptions options, byte[] bytes)
    {
        var decoder = new LineProtocolDecoder(options, _counters, NullLogger.Instance);
        var frames = new DecodedFrames(options.Channels.Count);
        decoder.Decode(bytes, frames);
        return (frames.SampleIndexes.ToList(), Values(frames));
    }

    private static float[] Values(DecodedFrames frames) =>
        Enumerable.Range(0, frames.Count).SelectMany(i => frames.Frame(i).ToArray()).ToArray();

    private static byte[] Concat(string before, byte[] middle, string after) =>
        [.. Encoding.ASCII.GetBytes(before), .. middle, .. Encoding.ASCII.GetBytes(after)];
}
