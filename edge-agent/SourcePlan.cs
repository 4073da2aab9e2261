using Microsoft.Extensions.Configuration;
using SsdEdge.EdgeAgent.Sources.Simulator;

namespace SsdEdge.EdgeAgent;

/// <summary>
/// Which of the agent's own sources run, decided from the configuration once, when the services
/// are registered.
/// </summary>
/// <remarks>
/// <para>A replay (<c>Agent:Replay</c>) or serial devices (<c>Serial:Devices</c>) run nothing else
/// unless asked. Without either, the MQTT source runs (<c>Mqtt:Enabled</c> unset means on).</para>
/// <para>One embedded broker serves every part that needs a broker and has no host configured: it
/// runs when the MQTT source runs with an empty <c>Mqtt:Host</c>, or when publishing is on
/// (<c>Publish:Enabled</c> unset means on) with an empty <c>Publish:Host</c>. It listens on
/// <c>Mqtt:Port</c> when the MQTT source uses it, otherwise on <c>Publish:Port</c>; a port in use
/// is replaced by a free one, and the MQTT source and the publisher both connect to the port it
/// actually took.</para>
/// <para>The simulator runs one device when the MQTT source uses the embedded broker and nothing
/// is replayed or read from serial ports (<c>Simulator:Devices</c> unset), and publishes into that
/// broker; in every other case it feeds the agent directly, so simulated samples never go to an
/// external broker.</para>
/// <para>When every source is simulated (<see cref="SimulatedOnly"/>) and no <c>Alerts</c> key is
/// set, the demo alert policy of <see cref="Alerts.AlertOptions.ApplyDemoPolicy"/> applies, with a
/// warning in the log, and without <c>Agent:HopSeconds</c> the hop is
/// <see cref="Alerts.AlertOptions.DemoHopSeconds"/>.</para>
/// <para>Values that do not parse count as unset here; the validators report them.</para>
/// </remarks>
/// <param name="Replay">Whether a recording is replayed.</param>
/// <param name="Mqtt">Whether the MQTT source runs.</param>
/// <param name="MqttEmbedded">Whether the MQTT source subscribes to the embedded broker.</param>
/// <param name="SimulatorDevices">Simulated devices; 0 for none.</param>
/// <param name="Serial">Whether serial devices are configured.</param>
/// <param name="PublishEmbedded">Whether the publisher publishes into the embedded broker.</param>
public sealed record SourcePlan(
    bool Replay,
    bool Mqtt,
    bool MqttEmbedded,
    int SimulatorDevices,
    bool Serial = false,
    bool PublishEmbedded = false)
{
    /// <summary>Whether the embedded broker runs: the MQTT source or the publisher uses it.</summary>
    public bool EmbeddedBroker => MqttEmbedded || PublishEmbedded;

    /// <summary>Whether the simulator publishes into the embedded broker rather than feeding the
    /// agent directly.</summary>
    public bool SimulatorPublishes => SimulatorDevices > 0 && MqttEmbedded;

    /// <summary>Whether every source is simulated: the simulator runs, nothing is replayed or read
    /// from serial ports, and the MQTT source, if it runs, reads the embedded broker the simulator
    /// publishes into.</summary>
    public bool SimulatedOnly => SimulatorDevices > 0 && !Replay && !Serial && (!Mqtt || MqttEmbedded);

    /// <summary>Whether any of the agent's own sources runs.</summary>
    public bool HasSource => Replay || Mqtt || Serial || SimulatorDevices > 0;

    private const string PublishEnabledKey = "Publish:Enabled";
    private const string PublishHostKey = "Publish:Host";

    /// <summary>Decides the plan from <paramref name="configuration"/>.</summary>
    public static SourcePlan From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var replay = !string.IsNullOrEmpty(configuration[AgentSetting.Replay.Key]);
        var serial = configuration.GetSection("Serial:Devices").GetChildren().Any();
        var mqtt = bool.TryParse(configuration[AgentSetting.MqttEnabled.Key], out var enabled)
            ? enabled
            : !replay && !serial;
        var embedded = mqtt && string.IsNullOrWhiteSpace(configuration[AgentSetting.MqttHost.Key]);
        var devices = int.TryParse(configuration[AgentSetting.SimulatorDevices.Key], out var count)
            ? Math.Clamp(count, 0, SimulatorOptions.MaxDevices)
            : embedded && !replay && !serial ? 1 : 0;
        var publishes = !bool.TryParse(configuration[PublishEnabledKey], out var publishEnabled) || publishEnabled;
        var publishEmbedded = publishes && string.IsNullOrWhiteSpace(configuration[PublishHostKey]);
        return new SourcePlan(replay, mqtt, embedded, devices, serial, publishEmbedded);
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
            parts.Add(MqttEmbedded ? "MQTT (embedded broker)" : "MQTT");
        }

        if (SimulatorDevices > 0)
        {
            parts.Add(SimulatorPublishes ? $"simulator x{SimulatorDevices} via MQTT" : $"simulator x{SimulatorDevices}");
        }

        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }
}
