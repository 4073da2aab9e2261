using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Sources.Mqtt;
using SsdEdge.EdgeAgent.Sources.Simulator;

namespace SsdEdge.EdgeAgent;

/// <summary>Builds and runs the agent's host from command-line arguments.</summary>
/// <remarks>
/// Configuration sources, later ones winning: <c>appsettings.json</c> beside the executable,
/// environment variables prefixed <c>SSDEDGE_</c> (such as <c>SSDEDGE_Agent__Speed=1</c>), then the
/// command line, where the switches of <see cref="SwitchMappings"/> and full keys such as
/// <c>--Agent:BlockSeconds=0.2</c> are accepted.
/// </remarks>
public static class AgentProgram
{
    /// <summary>Prefix of the environment variables read as configuration.</summary>
    public const string EnvironmentPrefix = "SSDEDGE_";

    /// <summary>Command-line switches and the configuration keys they set.</summary>
    public static IReadOnlyDictionary<string, string> SwitchMappings { get; } =
        AgentSetting.WithSwitch.ToDictionary(
            setting => setting.Switch,
            setting => setting.Key,
            StringComparer.OrdinalIgnoreCase);

    /// <summary>Help text printed by <c>--help</c>.</summary>
    public const string Usage = """
        Usage: ssdedge-agent [--model MODEL.onnx] [--replay SOURCE | --mqtt-host HOST] [options]
               ssdedge-agent bench [options]   (measure throughput and latency; bench --help,
                                                docs/benchmarks.md)

        Runs a pain classifier on live or recorded signals and prints one line per window and one
        per alert raised or cleared. With no options it starts an MQTT broker on 127.0.0.1, a
        simulated device that publishes into it, and the MQTT source that subscribes to it, and runs
        the bundled demo model until Ctrl-C. --replay SOURCE replays a recording instead.

        Model and run:
          --model FILE          ONNX model exported with its signal contract (Agent:ModelPath;
                                default models/synthetic-demo.onnx); a relative path that does
                                not exist from the working folder is looked up beside the program
          --duration S          stop after S seconds, as Ctrl-C does; 0 runs until the sources
                                end or Ctrl-C (default 0)
          --hop-seconds S       seconds between the ends of consecutive windows, above 0 and at
                                most the model's window (default 1)
          --threads N           ONNX Runtime intra-op threads, 1 to 64 (default 1)
          --output FILE.jsonl   also write one JSON object per window to FILE.jsonl, which is
                                created or replaced
          --rate-check-seconds S  interval over which a live device's arrival rate is compared
                                with its nominal rate, 1 to 3600, or 0 for no check (default 10)
          --rate-tolerance F    relative rate difference that is reported, above 0 and at most 1
                                (default 0.1, i.e. 10 %)

        Replay (turns MQTT and the simulator off unless they are set explicitly):
          --replay SOURCE       recording as FILE or FORMAT:FILE[?key=value&...], e.g.
                                fmov:subject09_100hz.tsv.gz or csv:recording.csv?rate=100, where
                                FORMAT is one of fmov, ucr, csv, opensignals, biosppy,
                                physionet-emg, biovid, synthetic (Agent:Replay; default none)
          --speed N             multiple of real time from 0.01 to 1000, or 0 to replay as fast
                                as possible (default 0)
          --block-seconds S     seconds of samples per block of a replay or of the simulator,
                                0.001 to 60 (default 0.1)

        MQTT source (docs/mqtt-ingest.md describes the payloads):
          --mqtt BOOL           run the MQTT source (default true unless --replay is given)
          --mqtt-host HOST      broker to subscribe to; empty starts the embedded broker on
                                127.0.0.1 (default empty)
          --mqtt-port N         broker port, 1 to 65535; for the embedded broker 0 picks a free
                                port, and a port in use is replaced by a free one (default 1883)
          --mqtt-client-id ID   MQTT client id (default ssdedge-agent)
          --mqtt-username USER  user name; the password comes from Mqtt:Password in the settings
                                file or SSDEDGE_Mqtt__Password (default none)
          --mqtt-tls BOOL       connect with TLS (default false)
          --mqtt-ca-file FILE   PEM or DER file of the authority that signed the broker's
                                certificate; empty uses the system's trusted roots (default empty)
          --mqtt-topic FILTER   topic filter with one '+' level for the device id
                                (default ssdedge/sensors/+/samples)
          --mqtt-max-payload-bytes N  largest message accepted, 64 to 16777216 (default 262144)
          --mqtt-rate HZ        rate of binary payloads and of JSON payloads without "rate";
                                0 takes the model's input rate (default 0)
          --mqtt-max-devices N  most devices accepted, 1 to 10000 (default 32)

        Simulator:
          --simulator-devices N  simulated devices sim-01, sim-02, ..., 0 to 64 (default 1 with
                                the embedded broker and no replay, otherwise 0); they publish
                                into the embedded broker, or feed the agent directly without it
          --simulator-seed N    seed of the first device (default 101)
          --simulator-speed N   multiple of real time, 0.01 to 100 (default 1)
          --simulator-rate HZ   sampling rate, at least 50; 0 takes the model's input rate
                                (default 0)

          -h, --help            print this text

        Every switch takes a value, as --speed 1 or --speed=1; full keys such as
        --Agent:BlockSeconds=0.2 are accepted too. Settings also come from appsettings.json beside
        the executable and from environment variables such as SSDEDGE_Agent__Speed=1. The sections,
        whose unknown keys are rejected, and the pages that describe them:
          Agent:, Mqtt:, Simulator:  the switches above; Mqtt: in docs/mqtt-ingest.md
          Serial:               serial devices (Serial:Devices:0:Port, ...), docs/serial-protocol.md
          Alerts:, Publish:, Metrics:, Health:  alert policy, MQTT delivery and its outbox,
                                /metrics and /health endpoint (Metrics:Port, default 9464) and
                                health rules, docs/alerts.md
          Logging:              log levels and console format
        A key of any other section on the command line or in an SSDEDGE_ variable is rejected.
        Exit codes: 0 success, 1 run failed (also when one of several sources failed),
        2 invalid settings, 3 model cannot be loaded.
        """;

    /// <summary>
    /// Creates the host builder: configuration, console logging to standard error, systemd
    /// integration and the agent's services, whose window lines go to <paramref name="output"/>.
    /// </summary>
    /// <exception cref="FormatException">The command line is malformed.</exception>
    public static HostApplicationBuilder CreateBuilder(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);

        // Defaults are off so that only the documented sources, in the documented order, apply.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration
            .AddInMemoryCollection(LoggingDefaults)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddCommandLine(args, SwitchMappings.ToDictionary(StringComparer.OrdinalIgnoreCase));

        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));

        // Standard output carries only window lines and the summary; every log entry goes to standard error.
        // Logging:Console:FormatterName picks the format: simple (one line per entry) or json.
        builder.Logging.AddConsole();
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.SimpleConsoleFormatterOptions>(
            options => options.SingleLine = true);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(
            options => options.LogToStandardErrorThreshold = LogLevel.Trace);

        // An empty TimestampFormat turns the timestamp off, for journald, which adds its own.
        builder.Services.PostConfigure<Microsoft.Extensions.Logging.Console.SimpleConsoleFormatterOptions>(
            options =>
            {
                if (string.IsNullOrWhiteSpace(options.TimestampFormat))
                {
                    options.TimestampFormat = null;
                }
            });

        // The default timestamp ends in a space that separates it from the level on a simple line;
        // a JSON field needs no separator.
        builder.Services.PostConfigure<Microsoft.Extensions.Logging.Console.JsonConsoleFormatterOptions>(
            options => options.TimestampFormat = string.IsNullOrWhiteSpace(options.TimestampFormat)
                ? null
                : options.TimestampFormat.TrimEnd());

        builder.Services.AddSystemd();
        builder.Services.AddEdgeAgent(builder.Configuration, output);
        return builder;
    }

    /// <summary>Runs the agent until its sources end, its duration passes or a stop is requested, and
    /// returns the exit code.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="output">Receives the window lines and the summary.</param>
    /// <param name="error">Receives the usage text on bad switches and the reason for a failure.</param>
    /// <param name="cancellationToken">Stops the host, as Ctrl-C does.</param>
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        if (args.Any(arg => arg is "-h" or "--help"))
        {
            await output.WriteAsync(Usage);
            return ExitCodes.Success;
        }

        var unknown = FindUnknownSwitches(args);
        if (unknown.Count > 0)
        {
            await error.WriteLineAsync($"ssdedge-agent: unknown option(s) {string.Join(", ", unknown)}.");
            await error.WriteAsync(Usage);
            return ExitCodes.InvalidSettings;
        }

        var problems = FindCommandLineProblems(args);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync($"ssdedge-agent: {problem}");
            }

            return ExitCodes.InvalidSettings;
        }

        HostApplicationBuilder builder;
        try
        {
            builder = CreateBuilder(args, output);
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync($"ssdedge-agent: the command line is malformed: {ex.Message}");
            return ExitCodes.InvalidSettings;
        }
        catch (InvalidDataException ex)
        {
            // A malformed appsettings.json: the JSON provider names the file, line and position.
            var detail = ex.InnerException is null ? ex.Message : $"{ex.Message} {ex.InnerException.Message}";
            await error.WriteLineAsync($"ssdedge-agent: the settings file is invalid: {detail}");
            return ExitCodes.InvalidSettings;
        }

        var unknownSections = FindUnknownSections(builder.Configuration);
        if (unknownSections.Count > 0)
        {
            foreach (var problem in unknownSections)
            {
                await error.WriteLineAsync($"ssdedge-agent: {problem}");
            }

            return ExitCodes.InvalidSettings;
        }

        var logging = FindInvalidLoggingSettings(builder.Configuration);
        if (logging.Count > 0)
        {
            foreach (var problem in logging)
            {
                await error.WriteLineAsync($"ssdedge-agent: {problem}");
            }

            return ExitCodes.InvalidSettings;
        }

        // An empty replay in a settings file means none, but on the command line it is almost
        // always an unset shell variable, and running the endless demo instead would hide it.
        if (CommandLineValues(builder.Configuration, "Agent:Replay").Any(string.IsNullOrWhiteSpace))
        {
            await error.WriteLineAsync(
                "ssdedge-agent: --replay was given an empty value; name a recording, such as "
                + "--replay csv:recording.csv?rate=100, or leave the switch out.");
            return ExitCodes.InvalidSettings;
        }

        foreach (var key in FindCommandLineSecrets(builder.Configuration))
        {
            await error.WriteLineAsync(
                $"ssdedge-agent: warning: {key} was given on the command line, where other users of this machine "
                + $"can read it in the process list; set SSDEDGE_{key.Replace(":", "__", StringComparison.Ordinal)} "
                + "or the settings file instead.");
        }

        // Unknown keys and non-numbers are reported here, before binding would throw on them with a
        // message that names a .NET type. The validator checks everything else when the host starts.
        var raw = new AgentOptionsValidator(builder.Configuration).ValidateConfiguration();
        if (raw.Failed)
        {
            foreach (var failure in raw.Failures)
            {
                await error.WriteLineAsync($"ssdedge-agent: {failure}");
            }

            return ExitCodes.InvalidSettings;
        }

        // Binding still throws on a value that only the binder rejects, such as an integer too large.
        try
        {
            _ = builder.Configuration.GetSection(AgentOptions.SectionName).Get<AgentOptions>();
            _ = builder.Configuration.GetSection(MqttOptions.SectionName).Get<MqttOptions>();
            _ = builder.Configuration.GetSection(SimulatorOptions.SectionName).Get<SimulatorOptions>();
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync($"ssdedge-agent: {ex.Message}");
            return ExitCodes.InvalidSettings;
        }

        // The console logger binds its Logging settings when the host is built, so a value of the
        // wrong type (such as IncludeScopes=maybe) fails here.
        IHost host;
        try
        {
            host = builder.Build();
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync($"ssdedge-agent: the settings are invalid: {ex.Message}");
            return ExitCodes.InvalidSettings;
        }

        using (host)
        {
            var completion = host.Services.GetRequiredService<AgentCompletion>();
            try
            {
                await host.RunAsync(cancellationToken);
            }
            catch (OptionsValidationException ex)
            {
                foreach (var failure in ex.Failures)
                {
                    await error.WriteLineAsync($"ssdedge-agent: {failure}");
                }

                return ExitCodes.InvalidSettings;
            }
            catch (ModelLoadException ex)
            {
                await error.WriteLineAsync($"ssdedge-agent: {ex.Message}");
                return ExitCodes.ModelLoadFailed;
            }

            // A stop requested before the run began leaves no outcome; that is a normal stop.
            if (!completion.Outcome.IsCompleted)
            {
                return ExitCodes.Success;
            }

            var outcome = await completion.Outcome;
            if (outcome.ErrorMessage is not null)
            {
                await error.WriteLineAsync($"ssdedge-agent: {outcome.ErrorMessage}");
            }

            return outcome.ExitCode;
        }
    }

    /// <summary>Console log format used unless the settings change it: a UTC timestamp such as
    /// <c>2026-01-31T12:00:00.000Z</c> before each line.</summary>
    public static IReadOnlyDictionary<string, string?> LoggingDefaults { get; } = new Dictionary<string, string?>
    {
        ["Logging:Console:FormatterOptions:TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ ",
        ["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true",
        ["Logging:Console:FormatterName"] = "simple",
    };

    /// <summary>
    /// Returns a message for each log level under <c>Logging</c> (a key whose parent segment is
    /// <c>LogLevel</c>) that is not a <see cref="LogLevel"/>, and for a console format other than
    /// simple, json or systemd.
    /// </summary>
    public static IReadOnlyList<string> FindInvalidLoggingSettings(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        const string FormatterKey = "Logging:Console:FormatterName";
        if (configuration[FormatterKey] is { } formatter
            && !new[] { "simple", "json", "systemd" }.Contains(formatter, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"{FormatterKey} = '{formatter}' is invalid; use simple, json or systemd.");
        }

        foreach (var (key, value) in configuration.GetSection("Logging").AsEnumerable())
        {
            var segments = key.Split(':');
            var isLevel = segments.Length >= 3 && segments[^2].Equals("LogLevel", StringComparison.OrdinalIgnoreCase);
            if (value is null || !isLevel)
            {
                continue;
            }

            // The logging configuration also takes a level's number, such as 2 for Information.
            if (!Enum.TryParse<LogLevel>(value, ignoreCase: true, out var level) || !Enum.IsDefined(level))
            {
                problems.Add(
                    $"{key} = '{value}' is invalid; use Trace, Debug, Information, Warning, Error, Critical or None.");
            }
        }

        return problems;
    }

    /// <summary>Settings that hold a secret, which the command line exposes to every local user.</summary>
    public static IReadOnlyList<string> SecretKeys { get; } = ["Mqtt:Password", "Publish:Password"];

    /// <summary>
    /// Returns the keys of <see cref="SecretKeys"/> that the command line sets to a non-empty
    /// value. The values are not returned.
    /// </summary>
    public static IReadOnlyList<string> FindCommandLineSecrets(IConfigurationRoot configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return SecretKeys
            .Where(key => CommandLineValues(configuration, key).Any(value => !string.IsNullOrEmpty(value)))
            .ToArray();
    }

    // Values that the command line gives key, in provider order; none when it does not set it.
    private static IEnumerable<string?> CommandLineValues(IConfigurationRoot configuration, string key)
    {
        foreach (var provider in configuration.Providers
            .OfType<Microsoft.Extensions.Configuration.CommandLine.CommandLineConfigurationProvider>())
        {
            if (provider.TryGet(key, out var value))
            {
                yield return value;
            }
        }
    }

    /// <summary>Sections that the agent reads; other first segments of a key are typing errors.</summary>
    public static IReadOnlyList<string> KnownSections { get; } =
        ["Agent", "Mqtt", "Simulator", "Serial", "Alerts", "Publish", "Metrics", "Health", "Logging"];

    /// <summary>
    /// Returns a message for each key from the command line or from an <c>SSDEDGE_</c> environment
    /// variable with <c>__</c> whose section (first segment) is not one of <see cref="KnownSections"/>. The value
    /// is never shown, as it may be a password. Sections of appsettings.json are not checked.
    /// </summary>
    public static IReadOnlyList<string> FindUnknownSections(IConfigurationRoot configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        foreach (var provider in configuration.Providers)
        {
            var source = provider switch
            {
                Microsoft.Extensions.Configuration.CommandLine.CommandLineConfigurationProvider => "command line",
                Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationProvider
                    => "environment",
                _ => null,
            };
            if (source is null)
            {
                continue;
            }

            foreach (var section in provider.GetChildKeys([], null).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                // A variable without "__", such as SSDEDGE_TEST_DATA, sets no section's key and
                // belongs to other tools.
                if (KnownSections.Contains(section, StringComparer.OrdinalIgnoreCase)
                    || (source == "environment" && !provider.GetChildKeys([], section).Any()))
                {
                    continue;
                }

                var where = source == "command line"
                    ? $"--{section}:... on the command line"
                    : $"{EnvironmentPrefix}{section}__... in the environment";
                problems.Add(
                    $"'{section}' ({where}) is not a section of the agent's settings; the sections are "
                    + $"{string.Join(", ", KnownSections)}.");
            }
        }

        return problems;
    }

    /// <summary>
    /// Returns a message for each argument that the configuration would silently drop or misread: a
    /// switch with no value after it, and an argument that no switch precedes.
    /// </summary>
    /// <remarks>
    /// A value may not start with <c>-</c> unless it is a number, as in <c>--speed -1</c>, so that
    /// <c>--model --replay FILE</c> reports the missing model instead of reading <c>--replay</c>
    /// as its file; <c>--switch=VALUE</c> accepts any value. Unknown switches are reported by
    /// <see cref="FindUnknownSwitches"/>.
    /// </remarks>
    public static IReadOnlyList<string> FindCommandLineProblems(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var problems = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!IsSwitch(arg))
            {
                problems.Add(
                    $"unexpected argument '{arg}'; every value follows its switch, as in --replay FILE "
                    + "(see --help).");
                continue;
            }

            if (arg.Contains('=', StringComparison.Ordinal))
            {
                continue;
            }

            if (i + 1 < args.Count && !IsSwitch(args[i + 1]))
            {
                i++;
                continue;
            }

            var key = SwitchMappings.TryGetValue(arg, out var mapped) ? mapped : arg.TrimStart('-');
            var setting = AgentSetting.FindByKey(key);
            var allowed = setting is null ? "" : $"; use {setting.Allowed}";
            problems.Add($"{key} ({arg}) has no value{allowed}, as in {arg} VALUE or {arg}=VALUE.");
        }

        return problems;
    }

    /// <summary>Returns the switches in <paramref name="args"/> that are neither mapped nor full
    /// configuration keys (which contain a colon).</summary>
    public static IReadOnlyList<string> FindUnknownSwitches(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var unknown = new List<string>();
        foreach (var arg in args)
        {
            if (!IsSwitch(arg))
            {
                continue;
            }

            var key = arg.Split('=', 2)[0];
            if (!SwitchMappings.ContainsKey(key) && !key.Contains(':', StringComparison.Ordinal))
            {
                unknown.Add(key);
            }
        }

        return unknown;
    }

    // A negative number is a value, as in --speed -1, which the validator then rejects; so is a
    // lone "-".
    private static bool IsSwitch(string arg) =>
        arg.Length > 1 && arg[0] == '-' && !double.TryParse(arg, CultureInfo.InvariantCulture, out _);
}
