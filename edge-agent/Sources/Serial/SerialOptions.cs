namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>Settings of the <c>Serial</c> configuration section: the serial devices to read.</summary>
public sealed class SerialOptions
{
    /// <summary>Name of the configuration section.</summary>
    public const string SectionName = "Serial";

    /// <summary>One entry per port, bound from <c>Serial:Devices:0</c>, <c>Serial:Devices:1</c>, ...</summary>
    public IList<SerialDeviceOptions> Devices { get; } = [];
}
