namespace SsdEdge.EdgeAgent.Sources.Simulator;

/// <summary>Feeds the simulated devices straight to the agent, without a broker.</summary>
/// <remarks>Used when the embedded broker does not run; with it, <see cref="SimulatorPublisher"/>
/// sends the same blocks through MQTT instead.</remarks>
public sealed class SimulatorSource : ISampleSource
{
    private readonly SimulatedDevices _devices;

    /// <summary>Creates the source over <paramref name="devices"/>.</summary>
    public SimulatorSource(SimulatedDevices devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        _devices = devices;
        Description = $"simulator ({devices.Devices.Count} device(s) at {devices.RateHz} Hz, {devices.Speed} x real time)";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    /// <remarks>Arrival times follow the device's rate only at real time.</remarks>
    public bool IsLive => _devices.Speed == 1;

    /// <inheritdoc />
    public IAsyncEnumerable<SampleBlock> ReadAsync(CancellationToken cancellationToken) =>
        _devices.StreamAsync(cancellationToken);
}
