namespace SsdEdge.EdgeAgent.Sources.Mqtt;

/// <summary>
/// An MQTT topic filter with exactly one single-level wildcard (<c>+</c>), whose level in a
/// matching topic is the device id, such as <c>ssdedge/sensors/+/samples</c>.
/// </summary>
/// <remarks>
/// MQTT 3.1.1 section 4.7 and MQTT 5 section 4.7: levels are separated by <c>/</c>, <c>+</c> must
/// fill a whole level, and <c>#</c> may only be the last level. The multi-level wildcard is not
/// accepted here, because the device id must be one fixed level of every topic.
/// </remarks>
public sealed class DeviceTopicFilter
{
    /// <summary>Longest filter, in UTF-8 bytes, that MQTT can carry.</summary>
    public const int MaxLength = 65535;

    private readonly string[] _levels;
    private readonly int _deviceLevel;

    private DeviceTopicFilter(string filter, string[] levels, int deviceLevel)
    {
        Filter = filter;
        _levels = levels;
        _deviceLevel = deviceLevel;
    }

    /// <summary>The filter as subscribed.</summary>
    public string Filter { get; }

    /// <summary>Parses <paramref name="filter"/>, or returns null with the reason in
    /// <paramref name="problem"/>.</summary>
    public static DeviceTopicFilter? TryParse(string? filter, out string problem)
    {
        problem = "";
        if (string.IsNullOrEmpty(filter))
        {
            problem = "the filter is empty";
            return null;
        }

        if (System.Text.Encoding.UTF8.GetByteCount(filter) > MaxLength || filter.Contains('\0', StringComparison.Ordinal))
        {
            problem = "the filter is longer than 65535 bytes or contains a NUL character";
            return null;
        }

        var levels = filter.Split('/');
        var deviceLevel = -1;
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level.Contains('#', StringComparison.Ordinal))
            {
                problem = "'#' is not accepted, because the device id must be one level of every topic";
                return null;
            }

            if (level == "+")
            {
                if (deviceLevel >= 0)
                {
                    problem = "the filter has more than one '+' level, so the device id is ambiguous";
                    return null;
                }

                deviceLevel = i;
            }
            else if (level.Contains('+', StringComparison.Ordinal))
            {
                problem = $"level '{level}' contains '+' but is not '+' alone";
                return null;
            }
        }

        if (deviceLevel < 0)
        {
            problem = "the filter has no '+' level for the device id";
            return null;
        }

        return new DeviceTopicFilter(filter, levels, deviceLevel);
    }

    /// <summary>Returns the device id in <paramref name="topic"/>, or null when the topic does not
    /// match the filter or its device level is empty.</summary>
    public string? DeviceIdOf(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var levels = topic.Split('/');
        if (levels.Length != _levels.Length)
        {
            return null;
        }

        for (var i = 0; i < levels.Length; i++)
        {
            if (i != _deviceLevel && !string.Equals(levels[i], _levels[i], StringComparison.Ordinal))
            {
                return null;
            }
        }

        var device = levels[_deviceLevel];
        return device.Length == 0 ? null : device;
    }

    /// <summary>Returns the topic of <paramref name="deviceId"/> under this filter.</summary>
    public string TopicOf(string deviceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        var levels = (string[])_levels.Clone();
        levels[_deviceLevel] = deviceId;
        return string.Join('/', levels);
    }
}
