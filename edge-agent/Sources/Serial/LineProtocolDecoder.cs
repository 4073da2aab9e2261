using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Microsoft.Extensions.Logging;

namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>
/// Decodes the line protocol: one frame per text line, fields split by a delimiter, numbers in
/// invariant culture (a dot as decimal separator). Bytes may arrive in chunks split anywhere.
/// </summary>
/// <remarks>
/// <para>Lines end at CR, LF or CRLF; blank lines are skipped. Before the first valid line of a
/// connection, one line whose fields are not numbers is taken as a header and skipped. The field
/// count of that header or of the first valid line is expected of every later line.</para>
/// <para>Rejected, counted in <see cref="IngestCounters"/> and logged rate-limited: a line with
/// control characters or invalid UTF-8 (<see cref="IngestRejection.Garbage"/>), a line longer than
/// <see cref="SerialDeviceOptions.MaxLineBytes"/>, discarded up to its end and counted once
/// (<see cref="IngestRejection.OverlongLine"/>), a line with another field count
/// (<see cref="IngestRejection.WrongFieldCount"/>), and a line whose channel or sequence field is
/// not a number (<see cref="IngestRejection.NonNumericField"/>). A channel value that is NaN or
/// infinite (<c>nan</c>, <c>inf</c>, <c>1e999</c>) becomes NaN in its frame and is counted as
/// <see cref="IngestRejection.NonFiniteSample"/>, so the quality gate rejects every window that
/// contains it and NaN never reaches the model.</para>
/// <para>Time axis: with <see cref="SerialDeviceOptions.SequenceField"/>, the sample index is the
/// unwrapped counter (<see cref="SequenceUnwrapper"/>), so a rejected line is dropped and becomes a
/// gap. Without one, every line after the first valid line of a connection takes the next index.
/// A rejected line then keeps its time slot as a frame of NaN, so later samples are not shifted,
/// and the quality gate rejects the windows it touches. The shared file readers treat malformed rows the
/// same way. An extra line inserted by noise therefore shifts later samples by one; only a counter
/// makes the time axis exact.</para>
/// <para>After <see cref="Resynchronize"/> the bytes up to the first line end are dropped, because
/// a port may be opened in the middle of a line.</para>
/// </remarks>
public sealed class LineProtocolDecoder : ISerialDecoder
{
    /// <summary>Most fields split from one line; a line with more is rejected.</summary>
    private const int MaxFields = SerialOptionsValidator.MaxField + 2;

    private readonly string _deviceId;
    private readonly int[] _fields;
    private readonly int? _sequenceField;
    private readonly long? _sequenceModulo;
    private readonly SequenceUnwrapper? _unwrapper;
    private readonly LineDelimiter _delimiter;
    private readonly int _requiredFields;
    private readonly RejectionReporter _rejections;
    private readonly ILogger _logger;
    private readonly byte[] _line;
    private readonly Range[] _ranges = new Range[MaxFields];
    private readonly float[] _frame;
    private int _lineLength;
    private bool _discardingOverlong;
    private bool _skippingPartialLine;
    private bool _validSeen;
    private bool _headerSeen;
    private int? _expectedFieldCount;
    private long _nextIndex;
    private bool _anyFrame;

    /// <summary>Creates a decoder for <paramref name="device"/>, whose options are already
    /// validated.</summary>
    /// <param name="device">Channel fields, sequence field, delimiter and line length.</param>
    /// <param name="counters">Receives every rejection.</param>
    /// <param name="logger">Receives rejections, rate-limited, and skipped headers.</param>
    /// <exception cref="ArgumentException">The delimiter setting is invalid.</exception>
    public LineProtocolDecoder(SerialDeviceOptions device, IngestCounters counters, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(device.MaxLineBytes, 1);
        if (!LineDelimiter.TryParse(device.Delimiter, out _delimiter))
        {
            throw new ArgumentException(
                $"Delimiter '{device.Delimiter}' is invalid; use {LineDelimiter.Allowed}.", nameof(device));
        }

        if (device.Channels.Count == 0)
        {
            throw new ArgumentException($"Device '{device.DeviceId}' has no channels.", nameof(device));
        }

        _deviceId = device.DeviceId;
        _fields = device.ResolveFields();
        _sequenceField = device.SequenceField;
        _sequenceModulo = device.SequenceModulo;
        _unwrapper = device.SequenceField is null ? null : new SequenceUnwrapper(device.SequenceModulo);
        _requiredFields = Math.Max(_fields.Max(), _sequenceField ?? -1) + 1;
        _rejections = new RejectionReporter(device.DeviceId, counters, logger);
        _logger = logger;
        _line = new byte[device.MaxLineBytes];
        _frame = new float[_fields.Length];
    }

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> bytes, DecodedFrames output)
    {
        ArgumentNullException.ThrowIfNull(output);
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOfAny((byte)'\r', (byte)'\n');
            var segment = end < 0 ? bytes : bytes[..end];
            bytes = end < 0 ? [] : bytes[(end + 1)..];
            var complete = end >= 0;

            if (_skippingPartialLine || _discardingOverlong)
            {
                if (complete)
                {
                    _skippingPartialLine = false;
                    _discardingOverlong = false;
                }

                continue;
            }

            if (_lineLength + segment.Length > _line.Length)
            {
                _lineLength = 0;
                _discardingOverlong = !complete;
                Reject(
                    IngestRejection.OverlongLine,
                    $"a line longer than {_line.Length} bytes was discarded up to its end",
                    output);
                continue;
            }

            segment.CopyTo(_line.AsSpan(_lineLength));
            _lineLength += segment.Length;
            if (complete)
            {
                var length = _lineLength;
                _lineLength = 0;
                DecodeLine(_line.AsSpan(0, length), output);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>With a sequence field the counter places the next samples, and the estimate helps
    /// to unwrap it. Without one the next sample index jumps by the estimate, at least 1, so the
    /// pipeline restarts windowing there and no window spans the outage.</remarks>
    public void Resynchronize(long estimatedMissingSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(estimatedMissingSamples);
        _lineLength = 0;
        _discardingOverlong = false;
        _skippingPartialLine = true;
        _validSeen = false;
        _headerSeen = false;
        _expectedFieldCount = null;
        if (!_anyFrame)
        {
            return;
        }

        if (_unwrapper is not null)
        {
            _unwrapper.ExpectAfterOutage(estimatedMissingSamples);
        }
        else
        {
            _nextIndex += Math.Max(1, estimatedMissingSamples);
        }
    }

    private void DecodeLine(ReadOnlySpan<byte> line, DecodedFrames output)
    {
        if (line.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
        {
            return;
        }

        if (HasControlBytes(line) || !Utf8.IsValid(line))
        {
            Reject(
                IngestRejection.Garbage,
                $"line '{RejectionReporter.Show(line)}' has control characters or bytes that are not UTF-8",
                output);
            return;
        }

        var fieldCount = Split(line);
        if (fieldCount < 0 || fieldCount < _requiredFields)
        {
            var found = fieldCount < 0 ? $"more than {MaxFields - 1}" : fieldCount.ToString(CultureInfo.InvariantCulture);
            Reject(
                IngestRejection.WrongFieldCount,
                $"line '{RejectionReporter.Show(line)}' has {found} fields; the channel and sequence fields need "
                + $"at least {_requiredFields}",
                output);
            return;
        }

        var problem = ParseFields(line, out var sequence, out var nonFinite);
        if (problem is not null && !_validSeen && !_headerSeen)
        {
            _headerSeen = true;
            _expectedFieldCount = fieldCount;
            if (_logger.IsEnabled(LogLevel.Information))
            {
                var header = RejectionReporter.Show(line);
                SerialLog.HeaderSkipped(_logger, _deviceId, header);
            }

            return;
        }

        if (_expectedFieldCount is { } expected && fieldCount != expected)
        {
            Reject(
                IngestRejection.WrongFieldCount,
                $"line '{RejectionReporter.Show(line)}' has {fieldCount} fields; earlier lines have {expected}",
                output);
            return;
        }

        if (problem is not null)
        {
            Reject(IngestRejection.NonNumericField, $"line '{RejectionReporter.Show(line)}': {problem}", output);
            return;
        }

        var index = _unwrapper is null ? _nextIndex++ : _unwrapper.Unwrap(sequence);
        output.Add(index, _frame);
        _anyFrame = true;
        _validSeen = true;
        _expectedFieldCount = fieldCount;
        if (nonFinite > 0)
        {
            _rejections.Reject(
                IngestRejection.NonFiniteSample,
                $"line '{RejectionReporter.Show(line)}' has {nonFinite} NaN or infinite value(s), kept as NaN at "
                + $"sample {index} so the windows containing it are rejected",
                nonFinite);
        }
    }

    /// <summary>Counts a rejected line and, without a sequence field, keeps its time slot as NaN
    /// once the connection has delivered a valid line.</summary>
    private void Reject(IngestRejection cause, string detail, DecodedFrames output)
    {
        _rejections.Reject(cause, detail);
        if (_unwrapper is null && _validSeen)
        {
            output.AddNaN(_nextIndex++);
        }
    }

    /// <summary>Parses the channel fields into the frame and the sequence field; returns the first
    /// problem, or null.</summary>
    private string? ParseFields(ReadOnlySpan<byte> line, out long sequence, out int nonFinite)
    {
        sequence = 0;
        nonFinite = 0;
        if (_sequenceField is { } sequenceField)
        {
            var text = Trim(line[_ranges[sequenceField]]);
            var limit = _sequenceModulo is { } modulo ? modulo - 1 : long.MaxValue;
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out sequence)
                || sequence < 0
                || sequence > limit)
            {
                return $"sequence field {sequenceField} is '{RejectionReporter.Show(text)}', expected a whole number "
                    + $"from 0 to {limit}";
            }
        }

        for (var c = 0; c < _fields.Length; c++)
        {
            var text = Trim(line[_ranges[_fields[c]]]);
            if (IsNonFiniteText(text))
            {
                _frame[c] = float.NaN;
                nonFinite++;
                continue;
            }

            // Parsed as double, then rounded to float, as the shared file readers do, so a line
            // gives the same sample as the same row read from a file.
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                return $"field {_fields[c]} is '{RejectionReporter.Show(text)}', which is not a number";
            }

            var value = (float)parsed;
            if (!float.IsFinite(value))
            {
                value = float.NaN;
                nonFinite++;
            }

            _frame[c] = value;
        }

        return null;
    }

    /// <summary>Splits <paramref name="line"/> into <see cref="_ranges"/>; returns the field count,
    /// or -1 when there are more than <see cref="MaxFields"/>.</summary>
    private int Split(ReadOnlySpan<byte> line)
    {
        var separator = _delimiter.For(line);
        var count = 0;
        if (separator is not { } delimiter)
        {
            var position = 0;
            while (true)
            {
                var start = line[position..].IndexOfAnyExcept((byte)' ', (byte)'\t');
                if (start < 0)
                {
                    return count;
                }

                start += position;
                var length = line[start..].IndexOfAny((byte)' ', (byte)'\t');
                var end = length < 0 ? line.Length : start + length;
                if (count == MaxFields)
                {
                    return -1;
                }

                _ranges[count++] = start..end;
                position = end;
            }
        }

        var fieldStart = 0;
        while (true)
        {
            var next = line[fieldStart..].IndexOf(delimiter);
            var end = next < 0 ? line.Length : fieldStart + next;
            if (count == MaxFields)
            {
                return -1;
            }

            _ranges[count++] = fieldStart..end;
            if (next < 0)
            {
                break;
            }

            fieldStart = end + 1;
        }

        // One empty field after a trailing delimiter is not a field.
        if (count > 1 && Trim(line[_ranges[count - 1]]).IsEmpty)
        {
            count--;
        }

        return count;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text) => text.Trim((byte)' ').Trim((byte)'\t');

    private static bool HasControlBytes(ReadOnlySpan<byte> line)
    {
        foreach (var value in line)
        {
            if ((value < 0x20 && value != (byte)'\t') || value == 0x7F)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a field is a NaN or infinity as C printf or .NET write them.</summary>
    private static bool IsNonFiniteText(ReadOnlySpan<byte> text)
    {
        if (!text.IsEmpty && (text[0] == (byte)'+' || text[0] == (byte)'-'))
        {
            text = text[1..];
        }

        return Ascii.EqualsIgnoreCase(text, "nan"u8)
            || Ascii.EqualsIgnoreCase(text, "inf"u8)
            || Ascii.EqualsIgnoreCase(text, "infinity"u8)
            || text.SequenceEqual("∞"u8);
    }
}
