using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using SsdEdge.Datasets;

namespace SsdEdge.EdgeAgent;

/// <summary>
/// One setting of the agent: its configuration key, its command-line switch and the values it
/// accepts, as error messages and <c>--help</c> state them.
/// </summary>
/// <param name="Key">Configuration key, such as <c>Agent:Threads</c>.</param>
/// <param name="Switch">Command-line switch, such as <c>--threads</c>.</param>
/// <param name="Allowed">The values accepted, phrased to follow "use".</param>
public sealed record AgentSetting(string Key, string Switch, string Allowed)
{
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
                AgentOptions.MaxSpeed}, such as 1"));

    /// <summary>The time between windows.</summary>
    public static AgentSetting HopSeconds { get; } = new(
        "Agent:HopSeconds",
        "--hop-seconds",
        "a positive number of seconds no longer than the model's window, such as 1");

    /// <summary>The ONNX Runtime thread count.</summary>
    public static AgentSetting Threads { get; } = new(
        "Agent:Threads",
        "--threads",
        string.Create(CultureInfo.InvariantCulture, $"1 to {AgentOptions.MaxThreads} ONNX Runtime threads"));

    /// <summary>The block duration.</summary>
    public static AgentSetting BlockSeconds { get; } = new(
        "Agent:BlockSeconds",
        "--block-seconds",
        string.Create(
            CultureInfo.InvariantCulture,
            $"a number of seconds from {AgentOptions.MinBlockSeconds} to {
                AgentOptions.MaxBlockSeconds}, such as 0.1"));

    /// <summary>The JSON Lines output file.</summary>
    public static AgentSetting Output { get; } = new(
        "Agent:Output",
        "--output",
        "a file name in a writable folder, such as windows.jsonl, or an empty value to write no file");

    /// <summary>Every setting, in the order of <see cref="AgentOptions"/>.</summary>
    /// <remarks>Declared after the settings it lists, so that they are initialised first.</remarks>
    public static IReadOnlyList<AgentSetting> All { get; } =
        [ModelPath, Replay, Speed, HopSeconds, Threads, BlockSeconds, Output];

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
