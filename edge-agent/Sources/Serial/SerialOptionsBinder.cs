using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>
/// Binds the <c>Serial</c> section into <see cref="SerialOptions"/>, skipping values that do not
/// parse. <see cref="SerialOptionsValidator"/> reports those with the setting's name, where the
/// configuration binder would throw a message that names a .NET type.
/// </summary>
public static class SerialOptionsBinder
{
    /// <summary>Keys of one <c>Serial:Devices:N</c> entry.</summary>
    public static IReadOnlyList<string> DeviceKeys { get; } =
    [
        nameof(SerialDeviceOptions.DeviceId),
        nameof(SerialDeviceOptions.Port),
        nameof(SerialDeviceOptions.BaudRate),
        nameof(SerialDeviceOptions.Protocol),
        nameof(SerialDeviceOptions.SamplingRateHz),
        nameof(SerialDeviceOptions.Channels),
        nameof(SerialDeviceOptions.SequenceField),
        nameof(SerialDeviceOptions.SequenceModulo),
        nameof(SerialDeviceOptions.Delimiter),
        nameof(SerialDeviceOptions.MaxLineBytes),
        nameof(SerialDeviceOptions.SilenceSeconds),
        nameof(SerialDeviceOptions.ReopenDelaySeconds),
        nameof(SerialDeviceOptions.MaxReopenDelaySeconds),
    ];

    /// <summary>Returns the entries of <c>Serial:Devices</c> in index order.</summary>
    /// <param name="serial">The <c>Serial</c> section.</param>
    public static IReadOnlyList<IConfigurationSection> DeviceSections(IConfiguration serial)
    {
        ArgumentNullException.ThrowIfNull(serial);
        return serial.GetSection(nameof(SerialOptions.Devices)).GetChildren()
            .OrderBy(child => IndexOf(child.Key) ?? int.MaxValue)
            .ToList();
    }

    /// <summary>Returns <paramref name="key"/> as an array index, or null when it is not one.</summary>
    public static int? IndexOf(string key) =>
        int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;

    /// <summary>Adds the devices of <paramref name="serial"/> to <paramref name="options"/>.</summary>
    /// <param name="serial">The <c>Serial</c> section.</param>
    /// <param name="options">Options to fill.</param>
    public static void Bind(IConfiguration serial, SerialOptions options)
    {
        ArgumentNullException.ThrowIfNull(serial);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var section in DeviceSections(serial))
        {
            options.Devices.Add(BindDevice(section));
        }
    }

    /// <summary>Returns the device of one <c>Serial:Devices:N</c> entry.</summary>
    public static SerialDeviceOptions BindDevice(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var device = new SerialDeviceOptions
        {
            DeviceId = section[nameof(SerialDeviceOptions.DeviceId)]?.Trim() ?? "",
            Port = section[nameof(SerialDeviceOptions.Port)]?.Trim() ?? "",
            Delimiter = section[nameof(SerialDeviceOptions.Delimiter)] ?? SerialDeviceOptions.AutoDelimiter,
        };

        if (ParseInt(section, nameof(SerialDeviceOptions.BaudRate)) is { } baudRate)
        {
            device.BaudRate = baudRate;
        }

        if (ParseProtocol(section[nameof(SerialDeviceOptions.Protocol)]) is { } protocol)
        {
            device.Protocol = protocol;
        }

        if (ParseDouble(section, nameof(SerialDeviceOptions.SamplingRateHz)) is { } rate)
        {
            device.SamplingRateHz = rate;
        }

        device.SequenceField = ParseInt(section, nameof(SerialDeviceOptions.SequenceField));
        device.SequenceModulo = ParseLong(section, nameof(SerialDeviceOptions.SequenceModulo));
        if (ParseInt(section, nameof(SerialDeviceOptions.MaxLineBytes)) is { } maxLineBytes)
        {
            device.MaxLineBytes = maxLineBytes;
        }

        if (ParseDouble(section, nameof(SerialDeviceOptions.SilenceSeconds)) is { } silence)
        {
            device.SilenceSeconds = silence;
        }

        if (ParseDouble(section, nameof(SerialDeviceOptions.ReopenDelaySeconds)) is { } delay)
        {
            device.ReopenDelaySeconds = delay;
        }

        if (ParseDouble(section, nameof(SerialDeviceOptions.MaxReopenDelaySeconds)) is { } maxDelay)
        {
            device.MaxReopenDelaySeconds = maxDelay;
        }

        foreach (var channel in ParseChannels(section.GetSection(nameof(SerialDeviceOptions.Channels))))
        {
            device.Channels.Add(channel);
        }

        return device;
    }

    /// <summary>Parses a <see cref="SerialDeviceOptions.Protocol"/> value, ignoring case.</summary>
    public static SerialProtocol? ParseProtocol(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "LINE" => SerialProtocol.Line,
        "BINARY" => SerialProtocol.Binary,
        _ => null,
    };

    /// <summary>
    /// Reads <c>Channels</c> in either form: an array whose entries are channel names (or objects
    /// with <c>Name</c> and <c>Field</c>) in frame order, or an object that maps each channel name
    /// to its 0-based field, ordered by field. Entries that do not parse are skipped.
    /// </summary>
    public static IReadOnlyList<SerialChannelOptions> ParseChannels(IConfigurationSection channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var children = channels.GetChildren().ToList();
        if (children.Count == 0)
        {
            return [];
        }

        if (IsArray(children))
        {
            var list = new List<SerialChannelOptions>();
            foreach (var child in children.OrderBy(child => IndexOf(child.Key)))
            {
                var name = child.Value ?? child[nameof(SerialChannelOptions.Name)];
                if (!string.IsNullOrWhiteSpace(name))
                {
                    list.Add(new SerialChannelOptions(name.Trim(), ParseInt(child, nameof(SerialChannelOptions.Field))));
                }
            }

            return list;
        }

        return children
            .Select(child => new SerialChannelOptions(child.Key, ParseIntText(child.Value)))
            .OrderBy(channel => channel.Field ?? int.MaxValue)
            .ToList();
    }

    /// <summary>Whether configuration children are the entries of an array: keys 0, 1, 2, ...</summary>
    public static bool IsArray(IReadOnlyList<IConfigurationSection> children)
    {
        ArgumentNullException.ThrowIfNull(children);
        var indexes = children.Select(child => IndexOf(child.Key)).ToList();
        return indexes.All(index => index is not null)
            && indexes.Order().Select((index, position) => index == position).All(match => match);
    }

    /// <summary>Parses an integer setting written in invariant culture, or returns null.</summary>
    public static int? ParseIntText(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Parses a 64-bit integer setting written in invariant culture, or returns null.</summary>
    public static long? ParseLongText(string? text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Parses a number setting written in invariant culture, or returns null.</summary>
    public static double? ParseDoubleText(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static int? ParseInt(IConfiguration section, string key) => ParseIntText(section[key]);

    private static long? ParseLong(IConfiguration section, string key) => ParseLongText(section[key]);

    private static double? ParseDouble(IConfiguration section, string key) => ParseDoubleText(section[key]);
}
