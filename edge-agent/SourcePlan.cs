using Microsoft.Extensions.Configuration;
using SsdEdge.EdgeAgent.Sources.Simulator;

namespace SsdEdge.EdgeAgent;

/// <summary>
/// Which of the agent's own sources run, decided from the configuration once, when the services
/// are registered.
/// </summary>
/// <remarks>
/// <para>A replay (<c>Agent:Replay</c>) or serial devices (<c>Serial:Devices</c>) run nothing else
/// unless asked. Without either, the MQTT source runs (<c>Mqtt:Enabled</c> unset means on); with
/// an empty <c>Mqtt:Host</c> the embedded broker runs too. The simulator runs one device when the
/// embedded broker runs and nothing is replayed or read from serial ports (<c>Simulator:Devices</c>
/// unset), and publishes into that broker; in every other case it feeds the agent directly, so
/// simulated data never goes to an external broker.</para>
/// <para>Values that do not parse count as unset here; the validators report them.</para>
/// </remarks>
/// <param name="Replay">Whether a recording is replayed.</param>
/// <param name="Mqtt">Whether the MQTT source runs.</param>
/// <param name="Serial">Whether serial devices are configured.</param>
/// <param name="EmbeddedBroker">Whether the embedded broker runs.</param>
/// <param name="SimulatorDevices">Simulated devices; 0 for none.</param>
public sealed record SourcePlan(bool Replay, bool Mqtt, bool EmbeddedBroker, int SimulatorDevices, bool Serial = false)
{
    /// <summary>Whether the simulator publishes into the embedded broker rather than feeding the
    /// agent directly.</summary>
    public bool SimulatorPublishes => SimulatorDevices > 0 && EmbeddedBroker;

    /// <summary>Whether any of the agent's own sources runs.</summary>
    public bool HasSource => Replay || Mqtt || Serial || SimulatorDevices > 0;

    /// <summary>Decides the plan from <paramref name="configuration"/>.</summary>
    public static SourcePlan From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var replay = !string.IsNullOrEmpty(configuration[AgentSetting.Replay.Key]);
        var serial = configuration.GetSection("Serial:Devices").GetChildren().Any();
        var mqtt = bool.TryParse(configuration[AgentSetting.MqttEnabled.Key], out var enabled)
            ? enabled
            : !replay && !serial;
        var embedded = mqtt && string.IsNullOrEmpty(configuration[AgentSetting.MqttHost.Key]);
        var devices = int.TryParse(configuration[AgentSetting.SimulatorDevices.Key], out var count)
            ? Math.Clamp(count, 0, SimulatorOptions.MaxDevices)
            : embedded && !replay && !serial ? 1 : 0;
        return new SourcePlan(replay, mqtt, embedded, devices, serial);
    }

    /// <summary>Describes the plan for the start-up log.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Replay)
        {
            parts.Add("replay");
        }

        if (Serial)
        {
            parts.Add("serial");
        }

        if (Mqtt)
        {
            parts.Add(EmbeddedBroker ? "MQTT (embedded broker)" : "MQTT");
        }

        if (SimulatorDevices > 0)
        {
            parts.Add(SimulatorPublishes ? $"simulator x{SimulatorDevices} via MQTT" : $"simulator x{SimulatorDevices}");
        }

        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }
}
