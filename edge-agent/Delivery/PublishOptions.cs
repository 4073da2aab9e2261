using Microsoft.Extensions.Configuration;
using SsdEdge.EdgeAgent.Alerts;

namespace SsdEdge.EdgeAgent.Delivery;

/// <summary>Settings of MQTT delivery (configuration section <c>Publish</c>).</summary>
public sealed class PublishOptions
{
    /// <summary>Name of the configuration section.</summary>
    public const string SectionName = "Publish";

    /// <summary>Loopback address used when <see cref="Host"/> is empty.</summary>
    public const string EmbeddedBrokerHost = "127.0.0.1";

    /// <summary>Whether alerts, states and window outputs are published; default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Broker host name or address; empty (the default) means the agent's embedded broker on
    /// 127.0.0.1, which the MQTT source shares when it has no host either.</summary>
    public string Host { get; set; } = "";

    /// <summary>Broker TCP port; default 1883. With an empty <see cref="Host"/> it is the port the
    /// embedded broker asks for (0 for a free one) unless the MQTT source uses that broker, whose
    /// <c>Mqtt:Port</c> then applies; the publisher connects to the port the broker took.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>MQTT client id; empty (the default) means <c>ssdedge-{AgentId}</c>.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>User name; empty (the default) connects without credentials.</summary>
    public string Username { get; set; } = "";

    /// <summary>Password sent with <see cref="Username"/>; never logged.</summary>
    public string Password { get; set; } = "";

    /// <summary>Whether the connection uses TLS; default false.</summary>
    public bool UseTls { get; set; }

    /// <summary>PEM or DER file of the certificate authority that signed the broker's certificate;
    /// empty (the default) uses the system's trusted roots.</summary>
    public string CaFile { get; set; } = "";

    /// <summary>Whether a broker certificate that fails validation is accepted; default false. For
    /// tests only: it gives up the protection TLS offers against an impostor.</summary>
    public bool AllowUntrustedCertificates { get; set; }

    /// <summary>First level of every topic; default <c>ssdedge</c>.</summary>
    public string TopicPrefix { get; set; } = "ssdedge";

    /// <summary>Second level of every topic; empty (the default) means the machine name.</summary>
    public string AgentId { get; set; } = "";

    /// <summary>Seconds to wait for a CONNACK, PUBACK or ping response; default 5.</summary>
    public double PublishTimeoutSeconds { get; set; } = 5;

    /// <summary>Seconds between liveness pings while nothing is published; default 5. The MQTT
    /// keep-alive is three times this.</summary>
    public double ProbeIntervalSeconds { get; set; } = 5;

    /// <summary>Longest wait between connection attempts, in seconds; default 30. Attempts start
    /// 0.5 s apart and double, with up to 25 % random jitter.</summary>
    public double MaxReconnectDelaySeconds { get; set; } = 30;

    /// <summary>Folder of the outbox; empty (the default) means
    /// <c>$XDG_STATE_HOME/ssdedge/outbox/{AgentId}</c> (<c>~/.local/state</c> when unset).</summary>
    public string OutboxDirectory { get; set; } = "";

    /// <summary>Most messages kept in the outbox; default 10000.</summary>
    public int OutboxCapacity { get; set; } = 10_000;

    /// <summary>Outbox depth at which health turns degraded; default 1000.</summary>
    public int OutboxBacklogWarning { get; set; } = 1000;

    /// <summary>Whether every window's output is published on the window topic; default true.</summary>
    public bool WindowOutputs { get; set; } = true;

    /// <summary>Seconds the agent keeps publishing at shutdown while the broker is connected and the
    /// outbox is not empty; default 5. What is left stays on disk for the next start.</summary>
    public double DrainSeconds { get; set; } = 5;

    /// <summary>Home Assistant MQTT discovery.</summary>
    public HomeAssistantOptions HomeAssistant { get; set; } = new();

    /// <summary>Messages for keys and values that could not be read; reported by the validator.</summary>
    internal List<string> BindingFailures { get; } = [];

    /// <summary>The agent id in use: <see cref="AgentId"/>, or the machine name when empty.</summary>
    public string EffectiveAgentId =>
        string.IsNullOrWhiteSpace(AgentId) ? Environment.MachineName.ToLowerInvariant() : AgentId;

    /// <summary>The client id in use: <see cref="ClientId"/>, or <c>ssdedge-{agent id}</c>.</summary>
    public string EffectiveClientId =>
        string.IsNullOrWhiteSpace(ClientId) ? $"ssdedge-{EffectiveAgentId}" : ClientId;

    /// <summary>The broker host in use: <see cref="Host"/>, or the embedded broker's address.</summary>
    public string EffectiveHost => string.IsNullOrWhiteSpace(Host) ? EmbeddedBrokerHost : Host;

    /// <summary>The outbox folder in use.</summary>
    public string EffectiveOutboxDirectory
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(OutboxDirectory))
            {
                return OutboxDirectory;
            }

            var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
            if (string.IsNullOrWhiteSpace(state))
            {
                state = Path.Combine(
                    Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
            }

            return Path.Combine(state, "ssdedge", "outbox", TopicNames.Sanitize(EffectiveAgentId));
        }
    }

    /// <summary>Reads the <c>Publish</c> section into <paramref name="options"/>.</summary>
    public static void Bind(IConfiguration configuration, PublishOptions options)
    {
        var section = configuration.GetSection(SectionName);
        var binder = new SettingsBinder(section, options.BindingFailures);
        binder.Bool(nameof(Enabled), value => options.Enabled = value);
        binder.String(nameof(Host), value => options.Host = value);
        binder.Int(nameof(Port), PublishOptionsValidator.PortAllowed, value => options.Port = value);
        binder.String(nameof(ClientId), value => options.ClientId = value);
        binder.String(nameof(Username), value => options.Username = value);
        binder.String(nameof(Password), value => options.Password = value);
        binder.Bool(nameof(UseTls), value => options.UseTls = value);
        binder.String(nameof(CaFile), value => options.CaFile = value);
        binder.Bool(nameof(AllowUntrustedCertificates), value => options.AllowUntrustedCertificates = value);
        binder.String(nameof(TopicPrefix), value => options.TopicPrefix = value);
        binder.String(nameof(AgentId), value => options.AgentId = value);
        binder.Double(
            nameof(PublishTimeoutSeconds),
            PublishOptionsValidator.SecondsAllowed,
            value => options.PublishTimeoutSeconds = value);
        binder.Double(
            nameof(ProbeIntervalSeconds),
            PublishOptionsValidator.SecondsAllowed,
            value => options.ProbeIntervalSeconds = value);
        binder.Double(
            nameof(MaxReconnectDelaySeconds),
            PublishOptionsValidator.SecondsAllowed,
            value => options.MaxReconnectDelaySeconds = value);
        binder.String(nameof(OutboxDirectory), value => options.OutboxDirectory = value);
        binder.Int(
            nameof(OutboxCapacity), PublishOptionsValidator.CapacityAllowed, value => options.OutboxCapacity = value);
        binder.Int(
            nameof(OutboxBacklogWarning),
            PublishOptionsValidator.BacklogAllowed,
            value => options.OutboxBacklogWarning = value);
        binder.Bool(nameof(WindowOutputs), value => options.WindowOutputs = value);
        binder.Double(nameof(DrainSeconds), PublishOptionsValidator.DrainAllowed, value => options.DrainSeconds = value);
        binder.Subsection(nameof(HomeAssistant));
        binder.ReportUnknownKeys();

        var homeAssistant = new SettingsBinder(section.GetSection(nameof(HomeAssistant)), options.BindingFailures);
        homeAssistant.Bool(nameof(HomeAssistantOptions.Enabled), value => options.HomeAssistant.Enabled = value);
        homeAssistant.String(
            nameof(HomeAssistantOptions.DiscoveryPrefix), value => options.HomeAssistant.DiscoveryPrefix = value);
        homeAssistant.ReportUnknownKeys();
    }
}

/// <summary>Settings of Home Assistant MQTT discovery (section <c>Publish:HomeAssistant</c>).</summary>
public sealed class HomeAssistantOptions
{
    /// <summary>Whether discovery configurations are published; default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>Topic prefix Home Assistant watches; default <c>homeassistant</c>.</summary>
    public string DiscoveryPrefix { get; set; } = "homeassistant";
}
