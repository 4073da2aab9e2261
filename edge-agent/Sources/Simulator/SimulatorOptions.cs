namespace SsdEdge.EdgeAgent.Sources.Simulator;

/// <summary>Settings of the simulated devices, bound from the <c>Simulator</c> configuration
/// section.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Configuration section the options are bound from.</summary>
    public const string SectionName = "Simulator";

    /// <summary>Most simulated devices.</summary>
    public const int MaxDevices = 64;

    /// <summary>Lowest speed, as a multiple of real time.</summary>
    public const double MinSpeed = 0.01;

    /// <summary>Highest speed, as a multiple of real time.</summary>
    public const double MaxSpeed = 100;

    /// <summary>Simulated devices, 0 to <see cref="MaxDevices"/> (<c>--simulator-devices</c>).
    /// Unset: 1 when the embedded broker runs and no replay is configured, otherwise 0.</summary>
    public int? Devices { get; set; }

    /// <summary>Seed of the first device; device <c>i</c> uses seed + i (<c>--simulator-seed</c>).</summary>
    public ulong Seed { get; set; } = 101;

    /// <summary>Multiple of real time from <see cref="MinSpeed"/> to <see cref="MaxSpeed"/>
    /// (<c>--simulator-speed</c>).</summary>
    public double Speed { get; set; } = 1;

    /// <summary>Sampling rate of the simulated devices, in Hz; 0 takes the model's input rate
    /// (<c>--simulator-rate</c>).</summary>
    public double RateHz { get; set; }
}
