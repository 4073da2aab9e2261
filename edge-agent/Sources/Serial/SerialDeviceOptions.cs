namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>Settings of one serial device, bound from <c>Serial:Devices:N</c>.</summary>
/// <remarks>Checked by <see cref="SerialOptionsValidator"/>, which states the allowed range of each
/// setting.</remarks>
public sealed class SerialDeviceOptions
{
    /// <summary>Default of <see cref="BaudRate"/>, in bit/s.</summary>
    public const int DefaultBaudRate = 115_200;

    /// <summary>Default of <see cref="MaxLineBytes"/>.</summary>
    public const int DefaultMaxLineBytes = 1024;

    /// <summary>Default of <see cref="SilenceSeconds"/>.</summary>
    public const double DefaultSilenceSeconds = 5;

    /// <summary>Default of <see cref="ReopenDelaySeconds"/>.</summary>
    public const double DefaultReopenDelaySeconds = 0.5;

    /// <summary>Default of <see cref="MaxReopenDelaySeconds"/>.</summary>
    public const double DefaultMaxReopenDelaySeconds = 10;

    /// <summary>Value of <see cref="Delimiter"/> that detects the delimiter on each line.</summary>
    public const string AutoDelimiter = "auto";

    /// <summary>Identifier of the device; pipelines, counters and logs are keyed by it. Required and
    /// unique.</summary>
    public string DeviceId { get; set; } = "";

    /// <summary>Serial port path, such as <c>/dev/ttyUSB0</c>, <c>/dev/serial/by-id/...</c> or a
    /// pseudo-terminal link.</summary>
    public string Port { get; set; } = "";

    /// <summary>Line speed in bit/s (8 data bits, no parity, 1 stop bit).</summary>
    public int BaudRate { get; set; } = DefaultBaudRate;

    /// <summary>Wire format of the device.</summary>
    public SerialProtocol Protocol { get; set; } = SerialProtocol.Line;

    /// <summary>Nominal rate at which the device samples every channel, in Hz. Required.</summary>
    public double SamplingRateHz { get; set; }

    /// <summary>Channels in frame order. The order must be the model's contract order.</summary>
    public IList<SerialChannelOptions> Channels { get; } = [];

    /// <summary>Line protocol: 0-based field index of the device's sample counter, or null when
    /// lines carry no counter.</summary>
    public int? SequenceField { get; set; }

    /// <summary>Line protocol: the value at which the counter wraps to 0, such as 65536 for a
    /// 16-bit counter; null when it never wraps.</summary>
    public long? SequenceModulo { get; set; }

    /// <summary>Line protocol field delimiter: <c>auto</c>, <c>comma</c>, <c>semicolon</c>,
    /// <c>tab</c>, <c>whitespace</c> (runs of spaces and tabs), or one of the characters
    /// <c>, ; | :</c>, tab or space.</summary>
    public string Delimiter { get; set; } = AutoDelimiter;

    /// <summary>Line protocol: longest line accepted, in bytes without the line terminator.</summary>
    public int MaxLineBytes { get; set; } = DefaultMaxLineBytes;

    /// <summary>Seconds without a byte after which an open port is reported as silent.</summary>
    public double SilenceSeconds { get; set; } = DefaultSilenceSeconds;

    /// <summary>First wait before reopening a lost port, in seconds; it doubles after each failed
    /// attempt up to <see cref="MaxReopenDelaySeconds"/>, with random jitter.</summary>
    public double ReopenDelaySeconds { get; set; } = DefaultReopenDelaySeconds;

    /// <summary>Longest wait between reopen attempts, in seconds.</summary>
    public double MaxReopenDelaySeconds { get; set; } = DefaultMaxReopenDelaySeconds;

    /// <summary>Channel names in frame order.</summary>
    public IReadOnlyList<string> ChannelNames() => Channels.Select(channel => channel.Name).ToArray();

    /// <summary>
    /// Returns the 0-based line field of each channel: its <see cref="SerialChannelOptions.Field"/>,
    /// or else the next field after the previous channel's, skipping <see cref="SequenceField"/>.
    /// </summary>
    public int[] ResolveFields()
    {
        var fields = new int[Channels.Count];
        var next = 0;
        for (var c = 0; c < fields.Length; c++)
        {
            if (Channels[c].Field is { } field)
            {
                fields[c] = field;
                next = field + 1;
                continue;
            }

            if (next == SequenceField)
            {
                next++;
            }

            fields[c] = next;
            next++;
        }

        return fields;
    }
}
