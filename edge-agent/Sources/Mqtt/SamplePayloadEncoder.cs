using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;

namespace SsdEdge.EdgeAgent.Sources.Mqtt;

/// <summary>Writes sample blocks in the payload forms that <see cref="SamplePayloadDecoder"/> reads.</summary>
/// <remarks>Floats are written in their shortest round-trip form, so a block survives JSON bit for bit.</remarks>
public static class SamplePayloadEncoder
{
    /// <summary>Returns <paramref name="block"/> as a JSON payload with <c>seq</c>, <c>rate</c> and one
    /// array per channel; NaN samples are written as <c>null</c>.</summary>
    public static byte[] ToJson(SampleBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("seq", block.FirstSample);
            writer.WriteNumber("rate", block.Device.SamplingRateHz);
            writer.WriteStartObject("channels");
            var channelCount = block.Device.ChannelCount;
            var frames = block.Frames.Span;
            for (var c = 0; c < channelCount; c++)
            {
                writer.WriteStartArray(block.Device.ChannelNames[c]);
                for (var t = c; t < frames.Length; t += channelCount)
                {
                    if (float.IsFinite(frames[t]))
                    {
                        writer.WriteNumberValue(frames[t]);
                    }
                    else
                    {
                        writer.WriteNullValue();
                    }
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Returns <paramref name="block"/> as a binary payload: <c>SSDB</c>, version, channel
    /// count, uint64 <c>seq</c>, uint32 frame count, then float32 samples, all little-endian.</summary>
    public static byte[] ToBinary(SampleBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var frames = block.Frames.Span;
        var payload = new byte[SamplePayloadDecoder.BinaryHeaderBytes + (frames.Length * sizeof(float))];
        SamplePayloadDecoder.BinaryMagic.CopyTo(payload);
        payload[4] = SamplePayloadDecoder.BinaryVersion;
        payload[5] = checked((byte)block.Device.ChannelCount);
        BinaryPrimitives.WriteUInt64LittleEndian(payload.AsSpan(6), checked((ulong)block.FirstSample));
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(14), checked((uint)block.FrameCount));
        for (var i = 0; i < frames.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(
                payload.AsSpan(SamplePayloadDecoder.BinaryHeaderBytes + (i * sizeof(float))), frames[i]);
        }

        return payload;
    }
}
