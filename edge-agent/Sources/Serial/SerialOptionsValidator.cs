using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SsdEdge.Contracts;

namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>
/// Checks <see cref="SerialOptions"/> at start. Each message names the setting (such as
/// <c>Serial:Devices:0:BaudRate</c>, and the environment variable or file that set it), the value
/// found and what is allowed.
/// </summary>
/// <remarks>
/// With a configuration, the raw values of the <c>Serial</c> section are checked first: unknown keys
/// and values that are not numbers are reported, because <see cref="SerialOptionsBinder"/> skips
/// them. A setting reported there is not checked again on the bound options.
/// </remarks>
public sealed class SerialOptionsValidator : IValidateOptions<SerialOptions>
{
    /// <summary>Slowest line speed accepted, in bit/s.</summary>
    public const int MinBaudRate = 50;

    /// <summary>Fastest line speed accepted, in bit/s.</summary>
    public const int MaxBaudRate = 4_000_000;

    /// <summary>Highest device sampling rate accepted, in Hz.</summary>
    public const double MaxSamplingRateHz = 100_000;

    /// <summary>Most channels one device may deliver.</summary>
    public const int MaxChannels = BinaryFrameFormat.MaxChannels;

    /// <summary>Highest 0-based field index of a text line.</summary>
    public const int MaxField = 255;

    /// <summary>Shortest <see cref="SerialDeviceOptions.MaxLineBytes"/> accepted.</summary>
    public const int MinLineBytes = 16;

    /// <summary>Longest <see cref="SerialDeviceOptions.MaxLineBytes"/> accepted.</summary>
    public const int MaxLineBytesLimit = 65_536;

    /// <summary>Largest <see cref="SerialDeviceOptions.SequenceModulo"/> accepted: a 32-bit counter.</summary>
    public const long MaxSequenceModulo = 1L << 32;

    /// <summary>Longest <see cref="SerialDeviceOptions.SilenceSeconds"/> accepted.</summary>
    public const double MaxSilenceSeconds = 3600;

    /// <summary>Shortest <see cref="SerialDeviceOptions.ReopenDelaySeconds"/> accepted.</summary>
    public const double MinReopenDelaySeconds = 0.01;

    /// <summary>Longest <see cref="SerialDeviceOptions.MaxReopenDelaySeconds"/> accepted.</summary>
    public const double MaxReopenDelayLimitSeconds = 600;

    private static readonly string[] IntegerKeys =
    [
        nameof(SerialDeviceOptions.BaudRate),
        nameof(SerialDeviceOptions.SequenceField),
        nameof(SerialDeviceOptions.SequenceModulo),
        nameof(SerialDeviceOptions.MaxLineBytes),
    ];

    private static readonly string[] NumberKeys =
    [
        nameof(SerialDeviceOptions.SamplingRateHz),
        nameof(SerialDeviceOptions.SilenceSeconds),
        nameof(SerialDeviceOptions.ReopenDelaySeconds),
        nameof(SerialDeviceOptions.MaxReopenDelaySeconds),
    ];

    private readonly IConfiguration? _configuration;

    /// <summary>Creates a validator that checks bound options only, naming each setting by key.</summary>
    public SerialOptionsValidator()
    {
    }

    /// <summary>Creates a validator that also checks the raw <c>Serial</c> section of
    /// <paramref name="configuration"/> and names the source that set each value.</summary>
    public SerialOptionsValidator(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _configuration = configuration;
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SerialOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var rawFailures = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (_configuration is not null && !CheckSection(failures, rawFailures))
        {
            // The device entries cannot be checked when Devices is not an array.
            return ValidateOptionsResult.Fail(failures);
        }

        for (var i = 0; i < options.Devices.Count; i++)
        {
            new DeviceCheck(this, options.Devices[i], $"{DevicesKey}:{i}", rawFailures, failures).Run();
        }

        CheckUnique(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// Checks that every device delivers the model's channels in the model's order, which the
    /// device pipelines require. Call it once the model is loaded.
    /// </summary>
    public static ValidateOptionsResult ValidateAgainstContract(SerialOptions options, SignalContract contract)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(contract);
        var expected = contract.Channels.Select(channel => channel.Name).ToList();
        var failures = new List<string>();
        for (var i = 0; i < options.Devices.Count; i++)
        {
            var names = options.Devices[i].ChannelNames();
            if (!names.SequenceEqual(expected, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add(
                    $"{DevicesKey}:{i}:{nameof(SerialDeviceOptions.Channels)} = [{string.Join(", ", names)}] does not "
                    + $"match the model, which needs the channels [{string.Join(", ", expected)}] in that order; "
                    + "list the device's channels in the model's order.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string DevicesKey => $"{SerialOptions.SectionName}:{nameof(SerialOptions.Devices)}";

    /// <summary>Names a key and where its value came from.</summary>
    private string Describe(string key) =>
        _configuration is null ? key : AgentSetting.DescribeKey(key, null, _configuration);

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);

    /// <summary>Checks the raw section; returns false when <c>Devices</c> is not an array.</summary>
    private bool CheckSection(List<string> failures, HashSet<string> rawFailures)
    {
        var serial = _configuration!.GetSection(SerialOptions.SectionName);
        foreach (var entry in serial.GetChildren())
        {
            if (!string.Equals(entry.Key, nameof(SerialOptions.Devices), StringComparison.OrdinalIgnoreCase))
            {
                failures.Add(
                    $"{Describe(entry.Path)} is not a serial setting; the section {SerialOptions.SectionName} "
                    + $"contains only {nameof(SerialOptions.Devices)}, an array with one entry per port.");
            }
        }

        var devices = serial.GetSection(nameof(SerialOptions.Devices));
        var children = devices.GetChildren().ToList();
        if (devices.Value is not null || (children.Count > 0 && !SerialOptionsBinder.IsArray(children)))
        {
            failures.Add(
                $"{Describe(devices.Path)} must be an array with one entry per port, such as "
                + $"{devices.Path}:0:DeviceId and {devices.Path}:0:Port; found "
                + (devices.Value is null ? $"keys {string.Join(", ", children.Select(c => c.Key))}." : $"'{devices.Value}'."));
            return false;
        }

        foreach (var device in SerialOptionsBinder.DeviceSections(serial))
        {
            CheckDeviceSection(device, failures, rawFailures);
        }

        return true;
    }

    private void CheckDeviceSection(IConfigurationSection device, List<string> failures, HashSet<string> rawFailures)
    {
        foreach (var entry in device.GetChildren())
        {
            var key = SerialOptionsBinder.DeviceKeys.FirstOrDefault(
                known => string.Equals(known, entry.Key, StringComparison.OrdinalIgnoreCase));
            if (key is null)
            {
                failures.Add(
                    $"{Describe(entry.Path)} is not a setting of a serial device; the settings "
                    + $"are {string.Join(", ", SerialOptionsBinder.DeviceKeys)}.");
                rawFailures.Add(entry.Path);
                continue;
            }

            if (key == nameof(SerialDeviceOptions.Channels))
            {
                CheckChannelsSection(entry, failures, rawFailures);
            }
            else if (entry.Value is { } text && RawProblem(key, text) is { } problem)
            {
                failures.Add($"{Describe(entry.Path)} = '{text}' {problem}");
                rawFailures.Add(entry.Path);
            }
        }
    }

    private static string? RawProblem(string key, string text)
    {
        if (IntegerKeys.Contains(key) && SerialOptionsBinder.ParseLongText(text) is null)
        {
            return $"is not a whole number; use {AllowedOf(key)}.";
        }

        if (NumberKeys.Contains(key) && SerialOptionsBinder.ParseDoubleText(text) is null)
        {
            return $"is not a number; use {AllowedOf(key)}.";
        }

        if (key == nameof(SerialDeviceOptions.Protocol) && SerialOptionsBinder.ParseProtocol(text) is null)
        {
            return $"is invalid; use {AllowedOf(key)}.";
        }

        if (key == nameof(SerialDeviceOptions.Delimiter) && !LineDelimiter.TryParse(text, out _))
        {
            return $"is invalid; use {AllowedOf(key)}.";
        }

        return null;
    }

    private void CheckChannelsSection(
        IConfigurationSection channels,
        List<string> failures,
        HashSet<string> rawFailures)
    {
        var children = channels.GetChildren().ToList();
        if (channels.Value is not null)
        {
            failures.Add($"{Describe(channels.Path)} = '{channels.Value}' is invalid; use {AllowedOf(channels.Key)}.");
            rawFailures.Add(channels.Path);
            return;
        }

        var isArray = SerialOptionsBinder.IsArray(children);
        foreach (var child in children)
        {
            string? problem = null;
            if (isArray && child.Value is null)
            {
                // An entry written as an object: { "Name": "eda", "Field": 1 }.
                var unknown = child.GetChildren().Select(entry => entry.Key)
                    .Where(key => key is not (nameof(SerialChannelOptions.Name) or nameof(SerialChannelOptions.Field)))
                    .ToList();
                if (unknown.Count > 0)
                {
                    problem = $"has unknown keys {string.Join(", ", unknown)}; an entry object has only Name and Field.";
                }
                else if (child[nameof(SerialChannelOptions.Field)] is { } field
                    && SerialOptionsBinder.ParseIntText(field) is null)
                {
                    problem = $"has Field '{field}', which is not a whole number; use a 0-based field index.";
                }
            }
            else if (!isArray && SerialOptionsBinder.ParseIntText(child.Value) is null)
            {
                problem = $"= '{child.Value}' is not a whole number; map each channel name to its 0-based field "
                    + "index, such as \"eda\": 1.";
            }

            if (problem is not null)
            {
                failures.Add($"{Describe(child.Path)} {problem}");
                rawFailures.Add(channels.Path);
            }
        }
    }

    private static string AllowedOf(string key) => key switch
    {
        nameof(SerialDeviceOptions.DeviceId) =>
            "a name that is unique among the devices, such as wrist-01",
        nameof(SerialDeviceOptions.Port) =>
            "the path of a serial port, such as /dev/ttyUSB0 or /dev/serial/by-id/...",
        nameof(SerialDeviceOptions.BaudRate) => string.Create(
            CultureInfo.InvariantCulture,
            $"a whole number of bit/s from {MinBaudRate} to {MaxBaudRate}, such as 115200"),
        nameof(SerialDeviceOptions.Protocol) => "line or binary",
        nameof(SerialDeviceOptions.SamplingRateHz) => string.Create(
            CultureInfo.InvariantCulture,
            $"the device's sampling rate in Hz, above 0 and at most {MaxSamplingRateHz}, such as 100"),
        nameof(SerialDeviceOptions.Channels) =>
            string.Create(CultureInfo.InvariantCulture, $"1 to {MaxChannels} distinct channel names in frame order")
            + ", such as [\"eda\"], or for the line protocol a map of channel name to 0-based field index, "
            + "such as { \"eda\": 1 }",
        nameof(SerialDeviceOptions.SequenceField) =>
            string.Create(CultureInfo.InvariantCulture, $"the 0-based field index (0 to {MaxField})")
            + " of the sample counter, not used by a channel, or no value when lines carry no counter",
        nameof(SerialDeviceOptions.SequenceModulo) =>
            string.Create(CultureInfo.InvariantCulture, $"the counter's wrap value from 2 to {MaxSequenceModulo}")
            + ", such as 65536 for a 16-bit counter, or no value when it never wraps",
        nameof(SerialDeviceOptions.Delimiter) => LineDelimiter.Allowed,
        nameof(SerialDeviceOptions.MaxLineBytes) => string.Create(
            CultureInfo.InvariantCulture,
            $"a whole number of bytes from {MinLineBytes} to {MaxLineBytesLimit}, such as 1024"),
        nameof(SerialDeviceOptions.SilenceSeconds) => string.Create(
            CultureInfo.InvariantCulture,
            $"a number of seconds above 0 and at most {MaxSilenceSeconds}, such as 5"),
        nameof(SerialDeviceOptions.ReopenDelaySeconds) => string.Create(
            CultureInfo.InvariantCulture,
            $"a number of seconds from {MinReopenDelaySeconds} to {MaxReopenDelayLimitSeconds}, such as 0.5"),
        nameof(SerialDeviceOptions.MaxReopenDelaySeconds) => string.Create(
            CultureInfo.InvariantCulture,
            $"a number of seconds from ReopenDelaySeconds to {MaxReopenDelayLimitSeconds}, such as 10"),
        _ => "a documented value",
    };

    private void CheckUnique(SerialOptions options, List<string> failures)
    {
        var ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.Devices.Count; i++)
        {
            var device = options.Devices[i];
            if (!string.IsNullOrWhiteSpace(device.DeviceId) && !ids.TryAdd(device.DeviceId, i))
            {
                failures.Add(
                    $"{Describe($"{DevicesKey}:{i}:{nameof(SerialDeviceOptions.DeviceId)}")} = '{device.DeviceId}' "
                    + $"is already the id of {DevicesKey}:{ids[device.DeviceId]}; use "
                    + $"{AllowedOf(nameof(SerialDeviceOptions.DeviceId))}.");
            }

            if (!string.IsNullOrWhiteSpace(device.Port) && !ports.TryAdd(device.Port, i))
            {
                failures.Add(
                    $"{Describe($"{DevicesKey}:{i}:{nameof(SerialDeviceOptions.Port)}")} = '{device.Port}' is "
                    + $"already the port of {DevicesKey}:{ports[device.Port]}; a port can be read by one device "
                    + "entry only.");
            }
        }
    }

    /// <summary>Checks of one bound device; settings already reported raw are skipped.</summary>
    private sealed class DeviceCheck(
        SerialOptionsValidator validator,
        SerialDeviceOptions device,
        string prefix,
        HashSet<string> rawFailures,
        List<string> failures)
    {
        public void Run()
        {
            if (string.IsNullOrWhiteSpace(device.DeviceId))
            {
                NotSet(nameof(SerialDeviceOptions.DeviceId));
            }

            if (string.IsNullOrWhiteSpace(device.Port))
            {
                NotSet(nameof(SerialDeviceOptions.Port));
            }

            if (device.BaudRate is < MinBaudRate or > MaxBaudRate)
            {
                Invalid(nameof(SerialDeviceOptions.BaudRate), device.BaudRate.ToString(CultureInfo.InvariantCulture));
            }

            var rate = device.SamplingRateHz;
            if (rate == 0)
            {
                NotSet(nameof(SerialDeviceOptions.SamplingRateHz));
            }
            else if (!double.IsFinite(rate) || rate is < 0 or > MaxSamplingRateHz)
            {
                Invalid(nameof(SerialDeviceOptions.SamplingRateHz), Format(rate));
            }

            CheckChannels();
            CheckSequence();
            CheckLineSettings();
            CheckTimes();
        }

        private void CheckChannels()
        {
            var key = nameof(SerialDeviceOptions.Channels);
            var channels = device.Channels;
            var names = string.Join(", ", channels.Select(channel => channel.Name));
            if (channels.Count == 0)
            {
                NotSet(key);
                return;
            }

            if (channels.Count > MaxChannels
                || channels.Any(channel => string.IsNullOrWhiteSpace(channel.Name))
                || channels.Select(channel => channel.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count()
                    != channels.Count)
            {
                Invalid(key, $"[{names}]");
                return;
            }

            if (device.Protocol == SerialProtocol.Binary)
            {
                if (channels.Any(channel => channel.Field is not null))
                {
                    Add(key, $"[{names}] gives field indexes, which only the line protocol uses; list the channel "
                        + "names in frame order, such as [\"eda\"].");
                }

                return;
            }

            var fields = device.ResolveFields();
            var text = string.Join(", ", channels.Select((channel, c) => $"{channel.Name}: {fields[c]}"));
            if (fields.Any(field => field is < 0 or > MaxField)
                || fields.Distinct().Count() != fields.Length
                || (device.SequenceField is { } sequence && fields.Contains(sequence)))
            {
                Add(key, $"= {{ {text} }} is invalid: each channel needs its own field from 0 to {MaxField}, "
                    + "other than SequenceField; use " + AllowedOf(key) + ".");
            }
        }

        private void CheckSequence()
        {
            var fieldKey = nameof(SerialDeviceOptions.SequenceField);
            var moduloKey = nameof(SerialDeviceOptions.SequenceModulo);
            if (device.Protocol == SerialProtocol.Binary)
            {
                if (device.SequenceField is not null)
                {
                    LineOnly(fieldKey, device.SequenceField.Value.ToString(CultureInfo.InvariantCulture),
                        "binary frames carry a 32-bit sequence number in their header");
                }

                if (device.SequenceModulo is not null)
                {
                    LineOnly(moduloKey, device.SequenceModulo.Value.ToString(CultureInfo.InvariantCulture),
                        "binary frames carry a 32-bit sequence number in their header");
                }

                return;
            }

            if (device.SequenceField is { } field && field is < 0 or > MaxField)
            {
                Invalid(fieldKey, field.ToString(CultureInfo.InvariantCulture));
            }

            if (device.SequenceModulo is { } modulo)
            {
                if (modulo is < 2 or > MaxSequenceModulo)
                {
                    Invalid(moduloKey, modulo.ToString(CultureInfo.InvariantCulture));
                }
                else if (device.SequenceField is null)
                {
                    Add(moduloKey, $"= {modulo} is set but SequenceField is not; set SequenceField to the counter's "
                        + "field, or remove SequenceModulo.");
                }
            }
        }

        private void CheckLineSettings()
        {
            var delimiterKey = nameof(SerialDeviceOptions.Delimiter);
            var maxLineKey = nameof(SerialDeviceOptions.MaxLineBytes);
            var delimiterIsAuto = LineDelimiter.TryParse(device.Delimiter, out var delimiter) && delimiter.IsAuto;
            if (device.Protocol == SerialProtocol.Binary)
            {
                if (!delimiterIsAuto)
                {
                    LineOnly(delimiterKey, $"'{device.Delimiter}'", "binary frames have no delimiter");
                }

                if (device.MaxLineBytes != SerialDeviceOptions.DefaultMaxLineBytes)
                {
                    LineOnly(maxLineKey, device.MaxLineBytes.ToString(CultureInfo.InvariantCulture),
                        "binary frames are bounded by the protocol");
                }

                return;
            }

            if (!LineDelimiter.TryParse(device.Delimiter, out _))
            {
                Invalid(delimiterKey, $"'{device.Delimiter}'");
            }

            if (device.MaxLineBytes is < MinLineBytes or > MaxLineBytesLimit)
            {
                Invalid(maxLineKey, device.MaxLineBytes.ToString(CultureInfo.InvariantCulture));
            }
        }

        private void CheckTimes()
        {
            var silence = device.SilenceSeconds;
            if (!double.IsFinite(silence) || silence is <= 0 or > MaxSilenceSeconds)
            {
                Invalid(nameof(SerialDeviceOptions.SilenceSeconds), Format(silence));
            }

            var delay = device.ReopenDelaySeconds;
            if (!double.IsFinite(delay) || delay is < MinReopenDelaySeconds or > MaxReopenDelayLimitSeconds)
            {
                Invalid(nameof(SerialDeviceOptions.ReopenDelaySeconds), Format(delay));
                return;
            }

            var maxDelay = device.MaxReopenDelaySeconds;
            if (!double.IsFinite(maxDelay) || maxDelay < delay || maxDelay > MaxReopenDelayLimitSeconds)
            {
                Invalid(nameof(SerialDeviceOptions.MaxReopenDelaySeconds), Format(maxDelay));
            }
        }

        private bool ReportedRaw(string key) => rawFailures.Contains($"{prefix}:{key}");

        private void Add(string key, string message)
        {
            if (!ReportedRaw(key))
            {
                failures.Add($"{validator.Describe($"{prefix}:{key}")} {message}");
            }
        }

        private void NotSet(string key) => Add(key, $"is not set; use {AllowedOf(key)}.");

        private void Invalid(string key, string value) => Add(key, $"= {value} is invalid; use {AllowedOf(key)}.");

        private void LineOnly(string key, string value, string reason) =>
            Add(key, $"= {value} applies only to Protocol line ({reason}); remove it for this binary device.");
    }
}
