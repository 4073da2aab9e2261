using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SsdEdge.Contracts;
using SsdEdge.Datasets;
using SsdEdge.EdgeAgent.Sources.Mqtt;
using SsdEdge.EdgeAgent.Sources.Simulator;
using SsdEdge.Preprocessing;

namespace SsdEdge.EdgeAgent;

/// <summary>
/// Checks <see cref="AgentOptions"/> at start. Each message names the setting (configuration key,
/// and the switch, environment variable or file that set it), the value found and what is allowed.
/// </summary>
/// <remarks>
/// <see cref="ValidateConfiguration"/> checks the raw values before they are bound, because binding
/// a non-number throws a message that names a .NET type. The hop is also checked against the
/// model's window by <see cref="ValidateAgainstContract"/>, which runs once the model is loaded.
/// Checking <see cref="AgentOptions.Output"/> creates the file when it does not exist, and deletes
/// it again.
/// </remarks>
public sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    /// <summary>Formats that name no file: their part after the colon is not checked as a path.</summary>
    private static readonly string[] FormatsWithoutFile = ["synthetic"];

    /// <summary>Source parameters that the readers taking them parse as numbers.</summary>
    private static readonly string[] NumericParameters = ["rate", "subjects", "duration", "timeunit"];

    private readonly IConfiguration? _configuration;

    /// <summary>Creates a validator whose messages name each setting by its switch.</summary>
    public AgentOptionsValidator()
    {
    }

    /// <summary>Creates a validator whose messages name the source in
    /// <paramref name="configuration"/> that set each value.</summary>
    public AgentOptionsValidator(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _configuration = configuration;
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        CheckModelPath(options.ModelPath, failures);
        if (!string.IsNullOrEmpty(options.Replay))
        {
            CheckReplay(options.Replay, failures);
        }

        var speed = options.Speed;
        if (!double.IsFinite(speed) || (speed != 0 && speed is < AgentOptions.MinSpeed or > AgentOptions.MaxSpeed))
        {
            failures.Add(Invalid(AgentSetting.Speed, Format(speed)));
        }

        if (!double.IsFinite(options.HopSeconds) || options.HopSeconds <= 0)
        {
            failures.Add(Invalid(AgentSetting.HopSeconds, Format(options.HopSeconds)));
        }

        if (options.Threads is < 1 or > AgentOptions.MaxThreads)
        {
            failures.Add(Invalid(AgentSetting.Threads, options.Threads.ToString(CultureInfo.InvariantCulture)));
        }

        var block = options.BlockSeconds;
        if (!double.IsFinite(block) || block is < AgentOptions.MinBlockSeconds or > AgentOptions.MaxBlockSeconds)
        {
            failures.Add(Invalid(AgentSetting.BlockSeconds, Format(block)));
        }

        CheckOutput(options.Output, failures);

        var duration = options.DurationSeconds;
        if (!double.IsFinite(duration) || duration < 0 || duration > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            failures.Add(Invalid(AgentSetting.DurationSeconds, Format(duration)));
        }

        var rateCheck = options.RateCheckSeconds;
        if (!double.IsFinite(rateCheck) || (rateCheck != 0 && rateCheck is < 1 or > AgentOptions.MaxRateCheckSeconds))
        {
            failures.Add(Invalid(AgentSetting.RateCheckSeconds, Format(rateCheck)));
        }

        var tolerance = options.RateTolerance;
        if (!double.IsFinite(tolerance) || tolerance <= 0 || tolerance > AgentOptions.MaxRateTolerance)
        {
            failures.Add(Invalid(AgentSetting.RateTolerance, Format(tolerance)));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// Checks the raw values of the <c>Agent</c> section before they are bound: every key must be a
    /// setting of <see cref="AgentSetting.All"/>, and numeric settings must contain numbers.
    /// </summary>
    /// <exception cref="InvalidOperationException">The validator was created without a
    /// configuration.</exception>
    public ValidateOptionsResult ValidateConfiguration()
    {
        if (_configuration is null)
        {
            throw new InvalidOperationException("This validator was created without a configuration.");
        }

        var failures = new List<string>();
        foreach (var section in AgentSetting.Sections)
        {
            foreach (var entry in _configuration.GetSection(section).GetChildren())
            {
                CheckRawEntry(entry, failures);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void CheckRawEntry(IConfigurationSection entry, List<string> failures)
    {
        var setting = AgentSetting.FindByKey(entry.Path);
        var section = entry.Path.Split(':')[0];

        // A misspelt credential key is unknown too, so the value of an unknown key is never shown.
        if (setting is null)
        {
            var known = string.Join(
                ", ",
                AgentSetting.All
                    .Where(known => known.Key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase))
                    .Select(known => known.Key));
            failures.Add(
                $"{AgentSetting.DescribeKey(entry.Path, null, _configuration)} is not a setting of the "
                + $"agent; the settings are {known}.");
            return;
        }

        if (entry.Value is not { } text)
        {
            return;
        }

        var problem = setting.Kind switch
        {
            SettingKind.WholeNumber when !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                => "is not a whole number",
            SettingKind.NonNegativeWholeNumber
                when !ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                => "is not a whole number from 0",
            SettingKind.Number when !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                => "is not a number",
            SettingKind.TrueOrFalse when !bool.TryParse(text, out _) => "is neither true nor false",
            _ => null,
        };
        if (problem is not null)
        {
            failures.Add($"{Describe(setting)} = '{text}' {problem}; use {setting.Allowed}.");
        }
    }

    /// <summary>Checks the settings that depend on the model: the hop must fit in one window.</summary>
    public static ValidateOptionsResult ValidateAgainstContract(AgentOptions options, SignalContract contract)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(contract);
        if (options.HopSeconds > contract.WindowSeconds)
        {
            return ValidateOptionsResult.Fail(
                $"Agent:HopSeconds (--hop-seconds) = {Format(options.HopSeconds)} is longer than the model's "
                + $"window of {Format(contract.WindowSeconds)} s, so samples would go unscored; use a value "
                + $"above 0 and at most {Format(contract.WindowSeconds)}.");
        }

        return ValidateOptionsResult.Success;
    }

    /// <summary>
    /// Checks the sources against the model. At least one source must run. The rates of MQTT
    /// payloads and of the simulator must suit the model's preprocessing, with every filter
    /// cut-off below half the rate. The simulator must produce the model's channels.
    /// </summary>
    /// <param name="plan">Which of the agent's own sources run.</param>
    /// <param name="mqtt">Settings of the MQTT source.</param>
    /// <param name="simulator">Settings of the simulator.</param>
    /// <param name="contract">Contract of the loaded model.</param>
    /// <param name="sourceCount">Sources registered, the agent's own and those of other features.</param>
    public static ValidateOptionsResult ValidateSourcesAgainstContract(
        SourcePlan plan,
        MqttOptions mqtt,
        SimulatorOptions simulator,
        SignalContract contract,
        int sourceCount)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(mqtt);
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(contract);
        var failures = new List<string>();
        if (sourceCount == 0)
        {
            failures.Add(
                "No sample source is configured; set Agent:Replay (--replay), turn on Mqtt:Enabled (--mqtt true), "
                + "add a device under Serial:Devices, or set Simulator:Devices (--simulator-devices) to 1 or more.");
        }

        var modelRate = contract.Channels[0].InputRateHz;
        if (plan.Mqtt)
        {
            CheckRate(AgentSetting.MqttRateHz, mqtt.RateHz, modelRate, contract, failures);
        }

        if (plan.SimulatorDevices > 0)
        {
            var rate = simulator.RateHz > 0 ? simulator.RateHz : modelRate;
            if (CheckRate(AgentSetting.SimulatorRateHz, simulator.RateHz, modelRate, contract, failures)
                && SimulatedDevices.FindProblem(contract.Channels.Select(channel => channel.Name).ToList(), rate)
                    is { } problem)
            {
                failures.Add(
                    $"{AgentSetting.SimulatorDevices.Key} ({AgentSetting.SimulatorDevices.Switch}) = "
                    + $"{plan.SimulatorDevices}: {problem}; use a model of these channels, or set "
                    + $"{AgentSetting.SimulatorDevices.Key} to 0.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // A rate of 0 means the model's input rate. Any rate must let the preprocessing run.
    private static bool CheckRate(
        AgentSetting setting,
        double rateHz,
        double modelRateHz,
        SignalContract contract,
        List<string> failures)
    {
        var rate = rateHz > 0 ? rateHz : modelRateHz;
        try
        {
            _ = new WindowPreprocessor(contract, rate);
            return true;
        }
        catch (ArgumentException ex)
        {
            var value = rateHz > 0 ? Format(rateHz) : $"0 (the model's input rate, {Format(modelRateHz)} Hz)";
            failures.Add(
                $"{setting.Key} ({setting.Switch}) = {value} does not suit the model: {MessageOf(ex)} "
                + $"Use {setting.Allowed}.");
            return false;
        }
    }

    /// <summary>
    /// Returns the file or folder a replay source names: the whole value when it exists, otherwise
    /// the part between a <c>FORMAT:</c> prefix and any <c>?key=value</c> parameters; null for a
    /// format that names no file.
    /// </summary>
    public static string? ReplayPath(string replay)
    {
        ArgumentNullException.ThrowIfNull(replay);
        if (File.Exists(replay) || Directory.Exists(replay))
        {
            return replay;
        }

        var question = replay.IndexOf('?', StringComparison.Ordinal);
        var body = question >= 0 ? replay[..question] : replay;
        var colon = body.IndexOf(':', StringComparison.Ordinal);

        // A one-letter prefix is a Windows drive, not a format.
        if (colon <= 1 || !body[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return body;
        }

        var format = body[..colon];
        return FormatsWithoutFile.Contains(format, StringComparer.OrdinalIgnoreCase) ? null : body[(colon + 1)..];
    }

    /// <summary>Returns the message for an output file that cannot be opened for writing.</summary>
    /// <param name="output">The file, as the setting gives it.</param>
    /// <param name="error">Why opening failed.</param>
    /// <param name="configuration">Configuration the setting came from, or null.</param>
    public static string OutputNotWritable(string output, Exception error, IConfiguration? configuration)
    {
        ArgumentNullException.ThrowIfNull(error);
        return $"{AgentSetting.Output.Describe(configuration)} = '{output}': the file cannot be opened for "
            + $"writing ({error.Message}); use {AgentSetting.Output.Allowed}.";
    }

    /// <summary>Returns the message of <paramref name="error"/> without the decoration that .NET
    /// appends to argument exceptions; see <see cref="ExceptionMessages.Plain"/>.</summary>
    public static string MessageOf(Exception error) => ExceptionMessages.Plain(error);

    private string Describe(AgentSetting setting) => setting.Describe(_configuration);

    private string Invalid(AgentSetting setting, string value) =>
        $"{Describe(setting)} = {value} is invalid; use {setting.Allowed}.";

    private void CheckModelPath(string? modelPath, List<string> failures)
    {
        var label = Describe(AgentSetting.ModelPath);
        if (string.IsNullOrWhiteSpace(modelPath))
        {
            failures.Add($"{label} is not set; pass the ONNX model file exported by ssdedge-trainer.");
        }
        else if (!File.Exists(modelPath))
        {
            failures.Add($"{label} = '{modelPath}': file not found; pass an existing ONNX model file.");
        }
    }

    private void CheckReplay(string? replay, List<string> failures)
    {
        var label = Describe(AgentSetting.Replay);
        var expected = "use " + AgentSetting.Replay.Allowed;
        if (string.IsNullOrWhiteSpace(replay))
        {
            failures.Add($"{label} is not set; {expected}.");
            return;
        }

        RecordingSource source;
        try
        {
            source = RecordingSource.Parse(replay);
        }
        catch (FileNotFoundException)
        {
            failures.Add($"{label} = '{replay}': file or folder '{ReplayPath(replay)}' not found; {expected}.");
            return;
        }
        catch (Exception ex) when (ex is ArgumentException or DataFormatException or IOException)
        {
            // The reader's message lists the known formats when the format is the problem.
            failures.Add(
                $"{label} = '{replay}' is invalid: {MessageOf(ex)} Use FILE or FORMAT:FILE[?key=value&...], "
                + "such as fmov:subject09_100hz.tsv.gz or csv:recording.csv?rate=100.");
            return;
        }

        var problem = FindParameterProblem(source);
        if (problem is not null)
        {
            failures.Add($"{label} = '{replay}' is invalid: {problem}");
            return;
        }

        if (FormatsWithoutFile.Contains(source.Format, StringComparer.Ordinal))
        {
            return;
        }

        // A UCR source names DIR/NAME, whose files are DIR/NAME_TRAIN.tsv and DIR/NAME_TEST.tsv.
        var path = source.Format == "ucr" ? RecordingSource.UcrPrefix(source.Path) + "_TRAIN.tsv" : source.Path;
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            failures.Add($"{label} = '{replay}': file or folder '{source.Path}' not found; {expected}.");
        }
    }

    private static string? FindParameterProblem(RecordingSource source)
    {
        foreach (var key in NumericParameters)
        {
            if (!source.Parameters.TryGetValue(key, out var text))
            {
                continue;
            }

            try
            {
                var value = source.Number(key, 0);
                if (key != "timeunit" && value <= 0)
                {
                    return $"source parameter '{key}={text}' must be a positive number.";
                }
            }
            catch (ArgumentException)
            {
                return $"source parameter '{key}={text}' is not a number; write it as {key}=NUMBER, "
                    + "such as rate=100.";
            }
        }

        try
        {
            switch (source.Format)
            {
                case "synthetic":
                    _ = RecordingFiles.SyntheticOptionsOf(source);
                    break;
                case "csv":
                    _ = CsvSourceOptions.Parse(source);
                    break;
            }
        }
        catch (ArgumentException ex)
        {
            return MessageOf(ex);
        }

        return null;
    }

    private void CheckOutput(string? output, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(output))
        {
            return;
        }

        var label = Describe(AgentSetting.Output);
        if (Directory.Exists(output))
        {
            failures.Add($"{label} = '{output}' is a folder; pass a file name such as windows.jsonl.");
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(output));
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            failures.Add($"{label} = '{output}': folder '{folder}' not found; create it first.");
            return;
        }

        // Opening is the only reliable test: permissions, read-only mounts and pseudo file systems
        // such as /proc all reject a file that the folder's existence does not rule out.
        var existed = File.Exists(output);
        try
        {
            using (new FileStream(output, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite))
            {
            }

            if (!existed)
            {
                File.Delete(output);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failures.Add(OutputNotWritable(output, ex, _configuration));
        }
    }

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
