using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;

namespace SsdEdge.EdgeAgent.Sources.Mqtt;

/// <summary>
/// Decodes the two payloads of the MQTT sample topic: JSON and the compact binary form that
/// starts with <see cref="BinaryMagic"/>. docs/mqtt-ingest.md describes both.
/// </summary>
/// <remarks>
/// <para>JSON: <c>{"seq": N, "rate": HZ, "channels": {"eda": [...], ...}}</c>. <c>seq</c> is the
/// device's counter of the first sample (0 to 2^62); <c>rate</c> is optional and defaults to
/// the configured rate; <c>channels</c> contains one array per channel of the model, all of the same
/// non-zero length, of numbers or <c>null</c> for a missing sample. No other property is
/// accepted.</para>
/// <para>Binary, little-endian: bytes 0-3 <c>SSDB</c>, byte 4 version (1), byte 5 channel count
/// (the model's), bytes 6-13 <c>seq</c> (uint64, at most 2^62), bytes 14-17 frame count (uint32, at least 1),
/// then frame count × channel count float32 values interleaved by frame in the model's channel
/// order; the length must match exactly. The rate is the configured rate.</para>
/// <para>Thread-safe: it keeps no state between payloads.</para>
/// </remarks>
public sealed class SamplePayloadDecoder
{
    /// <summary>First four bytes of a binary payload: ASCII <c>SSDB</c>.</summary>
    public static ReadOnlySpan<byte> BinaryMagic => "SSDB"u8;

    /// <summary>Version of the binary layout this decoder reads.</summary>
    public const byte BinaryVersion = 1;

    /// <summary>Largest <c>seq</c> accepted: 2^62, so that counter arithmetic never overflows.</summary>
    public const long MaxSeq = 1L << 62;

    /// <summary>Bytes before the samples of a binary payload.</summary>
    public const int BinaryHeaderBytes = 18;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 4 };

    private readonly IReadOnlyList<string> _channelNames;
    private readonly double _defaultRateHz;

    /// <summary>Creates a decoder for the channels of the model, in its order.</summary>
    /// <param name="channelNames">Channels every payload must carry; matched ignoring case.</param>
    /// <param name="defaultRateHz">Rate of binary payloads and of JSON payloads without
    /// <c>rate</c>, in Hz.</param>
    public SamplePayloadDecoder(IReadOnlyList<string> channelNames, double defaultRateHz)
    {
        ArgumentNullException.ThrowIfNull(channelNames);
        if (channelNames.Count is 0 or > byte.MaxValue)
        {
            throw new ArgumentException("From 1 to 255 channels are needed.", nameof(channelNames));
        }

        if (!double.IsFinite(defaultRateHz) || defaultRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(defaultRateHz), defaultRateHz, "The rate must be positive.");
        }

        _channelNames = channelNames;
        _defaultRateHz = defaultRateHz;
    }

    /// <summary>Decodes <paramref name="payload"/>.</summary>
    /// <exception cref="PayloadRejectedException">The payload breaks the schema. Its
    /// <see cref="PayloadRejectedException.Cause"/> is the cause it is counted under.</exception>
    public SamplePayload Decode(ReadOnlySequence<byte> payload)
    {
        Span<byte> start = stackalloc byte[4];
        if (payload.Length >= 4)
        {
            payload.Slice(0, 4).CopyTo(start);
            if (start.SequenceEqual(BinaryMagic))
            {
                return DecodeBinary(payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray());
            }
        }

        return DecodeJson(payload);
    }

    private SamplePayload DecodeBinary(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < BinaryHeaderBytes)
        {
            throw new PayloadRejectedException(
                $"binary payload of {bytes.Length} bytes is shorter than its {BinaryHeaderBytes}-byte header");
        }

        if (bytes[4] != BinaryVersion)
        {
            throw new PayloadRejectedException($"binary payload version {bytes[4]} is not {BinaryVersion}");
        }

        var channelCount = bytes[5];
        if (channelCount != _channelNames.Count)
        {
            throw new PayloadRejectedException(
                $"binary payload has {channelCount} channels; the model needs {_channelNames.Count} "
                + $"({string.Join(", ", _channelNames)})");
        }

        var seq = BinaryPrimitives.ReadUInt64LittleEndian(bytes[6..]);
        if (seq > MaxSeq)
        {
            throw new PayloadRejectedException($"seq {seq} is above {MaxSeq}");
        }

        var frameCount = BinaryPrimitives.ReadUInt32LittleEndian(bytes[14..]);
        var expected = BinaryHeaderBytes + ((long)frameCount * channelCount * sizeof(float));
        if (frameCount == 0 || bytes.Length != expected)
        {
            throw new PayloadRejectedException(
                $"binary payload of {bytes.Length} bytes declares {frameCount} frames of {channelCount} channels, "
                + $"which need {expected} bytes; at least one frame is needed");
        }

        var frames = new float[frameCount * channelCount];
        var nonFinite = 0;
        var values = bytes[BinaryHeaderBytes..];
        for (var i = 0; i < frames.Length; i++)
        {
            var value = BinaryPrimitives.ReadSingleLittleEndian(values[(i * sizeof(float))..]);
            if (!float.IsFinite(value))
            {
                nonFinite++;
                value = float.NaN;
            }

            frames[i] = value;
        }

        return new SamplePayload((long)seq, _defaultRateHz, frames, nonFinite);
    }

    private SamplePayload DecodeJson(ReadOnlySequence<byte> payload)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new PayloadRejectedException($"invalid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new PayloadRejectedException($"the JSON payload is a {root.ValueKind}, not an object");
            }

            long? seq = null;
            double? rate = null;
            JsonElement? channels = null;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "seq":
                        seq = ReadSeq(property.Value);
                        break;
                    case "rate":
                        rate = ReadRate(property.Value);
                        break;
                    case "channels":
                        channels = property.Value;
                        break;
                    default:
                        throw new PayloadRejectedException(
                            $"unknown property '{property.Name}'; the properties are seq, rate and channels");
                }
            }

            if (seq is null)
            {
                throw new PayloadRejectedException("property 'seq' is missing");
            }

            if (channels is not { ValueKind: JsonValueKind.Object } channelObject)
            {
                throw new PayloadRejectedException("property 'channels' is missing or not an object");
            }

            var (frames, nonFinite) = ReadChannels(channelObject);
            return new SamplePayload(seq.Value, rate ?? _defaultRateHz, frames, nonFinite);
        }
    }

    private static long ReadSeq(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seq) || seq is < 0 or > MaxSeq)
        {
            throw new PayloadRejectedException(
                $"'seq' is {value.GetRawText()}; use a whole number from 0 to {MaxSeq}");
        }

        return seq;
    }

    private static double ReadRate(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var rate)
            || !double.IsFinite(rate) || rate <= 0)
        {
            throw new PayloadRejectedException($"'rate' is {value.GetRawText()}; use a positive number of Hz");
        }

        return rate;
    }

    private (float[] Frames, int NonFinite) ReadChannels(JsonElement channels)
    {
        var columns = new JsonElement?[_channelNames.Count];
        foreach (var property in channels.EnumerateObject())
        {
            var index = IndexOf(property.Name);
            if (index < 0)
            {
                throw new PayloadRejectedException(
                    IngestRejection.UnknownChannel,
                    $"unknown channel '{property.Name}'; the model's channels are {string.Join(", ", _channelNames)}");
            }

            if (columns[index] is not null)
            {
                throw new PayloadRejectedException($"channel '{property.Name}' appears twice");
            }

            if (property.Value.ValueKind != JsonValueKind.Array)
            {
                throw new PayloadRejectedException($"channel '{property.Name}' is not an array");
            }

            columns[index] = property.Value;
        }

        var frameCount = -1;
        for (var c = 0; c < columns.Length; c++)
        {
            if (columns[c] is not { } column)
            {
                throw new PayloadRejectedException(
                    $"channel '{_channelNames[c]}' is missing; the model needs {string.Join(", ", _channelNames)}");
            }

            var length = column.GetArrayLength();
            if (frameCount >= 0 && length != frameCount)
            {
                throw new PayloadRejectedException(
                    $"channel '{_channelNames[c]}' has {length} samples, but '{_channelNames[0]}' has {frameCount}; "
                    + "every channel needs the same number");
            }

            frameCount = length;
        }

        if (frameCount == 0)
        {
            throw new PayloadRejectedException("the channel arrays are empty");
        }

        var channelCount = columns.Length;
        var frames = new float[frameCount * channelCount];
        var nonFinite = 0;
        for (var c = 0; c < channelCount; c++)
        {
            var t = 0;
            foreach (var element in columns[c]!.Value.EnumerateArray())
            {
                float value;
                if (element.ValueKind == JsonValueKind.Null)
                {
                    value = float.NaN;
                }
                else if (element.ValueKind != JsonValueKind.Number || !element.TryGetSingle(out value))
                {
                    throw new PayloadRejectedException(
                        $"channel '{_channelNames[c]}' sample {t} is {element.GetRawText()}; use a number or null");
                }

                if (!float.IsFinite(value))
                {
                    nonFinite++;
                    value = float.NaN;
                }

                frames[(t * channelCount) + c] = value;
                t++;
            }
        }

        return (frames, nonFinite);
    }

    private int IndexOf(string name)
    {
        for (var c = 0; c < _channelNames.Count; c++)
        {
            if (string.Equals(_channelNames[c], name, StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }
        }

        return -1;
    }
}
