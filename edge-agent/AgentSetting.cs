using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using SsdEdge.Datasets;
using SsdEdge.EdgeAgent.Sources.Mqtt;
using SsdEdge.EdgeAgent.Sources.Simulator;

namespace SsdEdge.EdgeAgent;

/// <summary>
/// One setting of the agent: its configuration key, its command-line switch and the values it
/// accepts, as error messages and <c>--help</c> state them.
/// </summary>
/// <param name="Key">Configuration key, such as <c>Agent:Threads</c>.</param>
/// <param name="Switch">Command-line switch, such as <c>--threads</c>.</param>
/// <param name="Allowed">The values accepted, phrased to follow "use".</param>
/// <param name="Kind">What the raw value must parse as before it is bound.</param>
public sealed record AgentSetting(string Key, string Switch, string Allowed, SettingKind Kind = SettingKind.Text)
{
    /// <summary>Configuration sections whose keys are all settings listed in <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Sections { get; } =
        [AgentOptions.SectionName, MqttOptions.SectionName, SimulatorOptions.SectionName];

    /// <summary>The model file.</summary>
    public static AgentSetting ModelPath { get; } = new(
        "Agent:ModelPath",
        "--model",
        "an existing ONNX model file exported by ssdedge-trainer with its signal contract");

    /// <summary>The recording to replay.</summary>
    public static AgentSetting Replay { get; } = new(
        "Agent:Replay",
        "--replay",
        "FILE or FORMAT:FILE[?key=value&...] with FORMAT one of "
        + string.Join(", ", RecordingSource.KnownFormats)
        + ", such as fmov:subject09_100hz.tsv.gz or csv:recording.csv?rate=100");

    /// <summary>The replay speed.</summary>
    public static AgentSetting Speed { get; } = new(
        "Agent:Speed",
        "--speed",
        string.Create(
            CultureInfo.InvariantCulture,
            $"0 to replay as fast as possible, or a multiple of real time from {AgentOptions.MinSpeed} to {
                AgentOptions.MaxSpeed}, such as 1"),
        SettingKind.Number);

    /// <summary>The time between windows.</summary>
    public static AgentSetting HopSeconds { get; } = new(
        "Agent:HopSeconds",
        "--hop-seconds",
        "a positive number of seconds no longer than the model's window, such as 1",
        SettingKind.Number);

    /// <summary>The ONNX Runtime thread count.</summary>
    public static AgentSetting Threads { get; } = new(
        "Agent:Threads",
        "--threads",
        string.Create(CultureInfo.InvariantCulture, $"1 to {AgentOptions.MaxThreads} ONNX Runtime threads"),
        SettingKind.WholeNumber);

    /// <summary>The block duration.</summary>
    public static AgentSetting BlockSeconds { get; } = new(
        "Agent:BlockSeconds",
        "--block-seconds",
        string.Create(
            CultureInfo.InvariantCulture,
            $"a number of seconds from {AgentOptions.MinBlockSeconds} to {
                AgentOptions.MaxBlockSeconds}, such as 0.1"),
        SettingKind.Number);

    /// <summary>The JSON Lines output file.</summary>
    public static AgentSetting Output { get; } = new(
        "Agent:Output",
        "--output",
        "a file name in a writable folder, such as windows.jsonl, or an empty value to write no file");

    /// <summary>The run duration.</summary>
    public static AgentSetting DurationSeconds { get; } = new(
        "Agent:DurationSeconds",
        "--duration",
        "0 to run until the sources end or Ctrl-C, or a positive number of seconds, such as 30",
        SettingKind.Number);

    /// <summary>The rate-check interval.</summary>
    public static AgentSetting RateCheckSeconds { get; } = new(
        "Agent:RateCheckSeconds",
        "--rate-check-seconds",
        string.Create(
            CultureInfo.InvariantCulture,
            $"0 to turn the check off, or seconds from 1 to {AgentOptions.MaxRateCheckSeconds}, such as 10"),
        SettingKind.Number);

    /// <summary>The rate tolerance.</summary>
    public static AgentSetting RateTolerance { get; } = new(
        "Agent:RateTolerance",
        "--rate-tolerance",
        string.Create(
            CultureInfo.InvariantCulture,
            $"a fraction above 0 and at most {AgentOptions.MaxRateTolerance}, such as 0.1 for 10 %"),
        SettingKind.Number);

    /// <summary>Whether the MQTT source runs.</summary>
    public static AgentSetting MqttEnabled { get; } = new(
        "Mqtt:Enabled", "--mqtt", "true or false", SettingKind.TrueOrFalse);

    /// <summary>The broker host.</summary>
    public static AgentSetting MqttHost { get; } = new(
        "Mqtt:Host",
        "--mqtt-host",
        "a host name or address such as broker.local, or an empty value for the embedded broker");

    /// <summary>The broker port.</summary>
    public static AgentSetting MqttPort { get; } = new(
        "Mqtt:Port",
        "--mqtt-port",
        "a TCP port from 1 to 65535, such as 1883, or 0 for the embedded broker to pick a free port",
        SettingKind.WholeNumber);

    /// <summary>The MQTT client id.</summary>
    public static AgentSetting MqttClientId { get; } = new(
        "Mqtt:ClientId",
        "--mqtt-client-id",
        "1 to 64 characters without control characters, such as ssdedge-agent");

    /// <summary>The MQTT user name.</summary>
    public static AgentSetting MqttUsername { get; } = new(
        "Mqtt:Username", "--mqtt-username", "a user name, or an empty value to connect without one");

    /// <summary>The MQTT password; it has no switch, so that it never appears in a process list.</summary>
    public static AgentSetting MqttPassword { get; } = new(
        "Mqtt:Password", "SSDEDGE_Mqtt__Password", "a password set in the settings file or environment");

    /// <summary>Whether to use TLS.</summary>
    public static AgentSetting MqttUseTls { get; } = new(
        "Mqtt:UseTls", "--mqtt-tls", "true or false", SettingKind.TrueOrFalse);

    /// <summary>The certificate authority file for TLS.</summary>
    public static AgentSetting MqttCaFile { get; } = new(
        "Mqtt:CaFile",
        "--mqtt-ca-file",
        "the path of a PEM or DER certificate file together with --mqtt-tls true, or an empty value for "
            + "the system's trusted roots");

    /// <summary>The topic filter.</summary>
    public static AgentSetting MqttTopicFilter { get; } = new(
        "Mqtt:TopicFilter",
        "--mqtt-topic",
        "an MQTT topic filter with exactly one '+' level for the device id and no '#', such as "
        + MqttOptions.DefaultTopicFilter);

    /// <summary>The payload size limit.</summary>
    public static AgentSetting MqttMaxPayloadBytes { get; } = new(
        "Mqtt:MaxPayloadBytes",
        "--mqtt-max-payload-bytes",
        string.Create(
            CultureInfo.InvariantCulture,
            $"a number of bytes from 64 to {MqttOptions.MaxMaxPayloadBytes}, such as {
                MqttOptions.DefaultMaxPayloadBytes}"),
        SettingKind.WholeNumber);

    /// <summary>The rate of payloads that do not state one.</summary>
    public static AgentSetting MqttRateHz { get; } = new(
        "Mqtt:RateHz",
        "--mqtt-rate",
        "0 for the model's input rate, or a positive rate in Hz above twice every filter cut-off, such as 512",
        SettingKind.Number);

    /// <summary>The device limit.</summary>
    public static AgentSetting MqttMaxDevices { get; } = new(
        "Mqtt:MaxDevices",
        "--mqtt-max-devices",
        string.Create(CultureInfo.InvariantCulture, $"1 to {MqttOptions.MaxMaxDevices} devices, such as 32"),
        SettingKind.WholeNumber);

    /// <summary>The number of simulated devices.</summary>
    public static AgentSetting SimulatorDevices { get; } = new(
        "Simulator:Devices",
        "--simulator-devices",
        string.Create(CultureInfo.InvariantCulture, $"0 to {SimulatorOptions.MaxDevices} devices, such as 1"),
        SettingKind.WholeNumber);

    /// <summary>The simulator seed.</summary>
    public static AgentSetting SimulatorSeed { get; } = new(
        "Simulator:Seed",
        "--simulator-seed",
        "a whole number from 0 to 18446744073709551615, such as 101",
        SettingKind.NonNegativeWholeNumber);

    /// <summary>The simulator speed.</summary>
    public static AgentSetting SimulatorSpeed { get; } = new(
        "Simulator:Speed",
        "--simulator-speed",
        string.Create(
            CultureInfo.InvariantCulture,
            $"a multiple of real time from {SimulatorOptions.MinSpeed} to {SimulatorOptions.MaxSpeed}, such as 1"),
        SettingKind.Number);

    /// <summary>The simulator rate.</summary>
    public static AgentSetting SimulatorRateHz { get; } = new(
        "Simulator:RateHz",
        "--simulator-rate",
        "0 for the model's input rate, or a positive rate in Hz above twice every filter cut-off, such as 512",
        SettingKind.Number);

    /// <summary>Every setting, in the order of the options classes.</summary>
    /// <remarks>Declared after the settings it lists, so that they are initialised first.</remarks>
    public static IReadOnlyList<AgentSetting> All { get; } =
    [
        ModelPath, Replay, Speed, HopSeconds, Threads, BlockSeconds, Output, DurationSeconds,
        RateCheckSeconds, RateTolerance,
        MqttEnabled, MqttHost, MqttPort, MqttClientId, MqttUsername, MqttPassword, MqttUseTls,
        MqttCaFile, MqttTopicFilter, MqttMaxPayloadBytes, MqttRateHz, MqttMaxDevices,
        SimulatorDevices, SimulatorSeed, SimulatorSpeed, SimulatorRateHz,
    ];

    /// <summary>Settings that have a command-line switch.</summary>
    public static IReadOnlyList<AgentSetting> WithSwitch { get; } =
        All.Where(setting => setting.Switch.StartsWith("--", StringComparison.Ordinal)).ToList();

    /// <summary>Whether the value is a secret, which messages never show.</summary>
    public static bool IsSecret(string key) =>
        key.Contains("password", StringComparison.OrdinalIgnoreCase)
        || key.Contains("secret", StringComparison.OrdinalIgnoreCase);

    /// <summary>Returns the setting whose key is <paramref name="key"/> (ignoring case), or null.</summary>
    public static AgentSetting? FindByKey(string key) =>
        All.FirstOrDefault(setting => string.Equals(setting.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Names this setting and where its value came from, such as <c>Agent:Threads (--threads)</c>,
    /// <c>Agent:Threads (environment variable SSDEDGE_Agent__Threads)</c> or
    /// <c>Agent:Threads (/opt/ssdedge-agent/appsettings.json)</c>.
    /// </summary>
    /// <param name="configuration">Configuration the value was read from; without it, or when no
    /// source sets the key, the switch is named.</param>
    public string Describe(IConfiguration? configuration) => DescribeKey(Key, Switch, configuration);

    /// <summary>Names <paramref name="key"/> and where its value came from, as
    /// <see cref="Describe"/> does; <paramref name="switchName"/> defaults to <c>--KEY</c>.</summary>
    public static string DescribeKey(string key, string? switchName, IConfiguration? configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);

        // Providers are searched from the last added, because the last one that sets a key wins.
        var origin = (configuration as IConfigurationRoot)?.Providers
            .Reverse()
            .FirstOrDefault(provider => provider.TryGet(key, out _));
        return origin switch
        {
            EnvironmentVariablesConfigurationProvider =>
                $"{key} (environment variable {EnvironmentVariableOf(key)})",
            FileConfigurationProvider file => $"{key} ({PathOf(file.Source)})",

            // A setting whose documented form is an environment variable may still come from the
            // command line as a full key.
            Microsoft.Extensions.Configuration.CommandLine.CommandLineConfigurationProvider
                when switchName is null || !switchName.StartsWith('-') => $"{key} (--{key})",

            // A key that no source sets and that has no switch of its own is named alone, as no
            // command line was involved.
            null when switchName is null => key,
            _ => $"{key} ({switchName ?? "--" + key})",
        };
    }

    private static string? PathOf(FileConfigurationSource source) =>
        source.Path is null ? null : source.FileProvider?.GetFileInfo(source.Path).PhysicalPath ?? source.Path;

    /// <summary>Returns the environment variable that sets <paramref name="key"/>, such as
    /// <c>SSDEDGE_Agent__Threads</c>.</summary>
    public static string EnvironmentVariableOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return AgentProgram.EnvironmentPrefix + key.Replace(":", "__", StringComparison.Ordinal);
    }
}
