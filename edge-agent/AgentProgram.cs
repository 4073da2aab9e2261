using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SsdEdge.EdgeAgent.Inference;

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
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["--model"] = "Agent:ModelPath",
            ["--replay"] = "Agent:Replay",
            ["--speed"] = "Agent:Speed",
            ["--hop-seconds"] = "Agent:HopSeconds",
            ["--threads"] = "Agent:Threads",
            ["--block-seconds"] = "Agent:BlockSeconds",
            ["--output"] = "Agent:Output",
        };

    /// <summary>Help text printed by <c>--help</c>.</summary>
    public const string Usage = """
        Usage: ssdedge-agent --model MODEL.onnx --replay SOURCE [options]

        Replays a recording through the model's own preprocessing and prints one line per window.
        Without --model and --replay it runs the bundled demo model on a synthetic subject.

          --model FILE          ONNX model exported with its signal contract (Agent:ModelPath;
                                default models/synthetic-demo.onnx beside the program)
          --replay SOURCE       recording as FILE or FORMAT:FILE[?key=value&...], e.g.
                                fmov:subject09_100hz.tsv.gz or csv:recording.csv?rate=100
                                (Agent:Replay; default synthetic:101?subjects=1&duration=120)
          --speed N             multiple of real time; 0 replays as fast as possible (default 0)
          --hop-seconds S       seconds between the ends of consecutive windows (default 1)
          --threads N           ONNX Runtime intra-op threads (default 1)
          --block-seconds S     seconds of samples delivered per block (default 0.1)
          --output FILE.jsonl   also write one JSON object per window to FILE.jsonl
          -h, --help            print this text

        Settings also come from appsettings.json beside the executable and from environment
        variables such as SSDEDGE_Agent__Speed=1. Exit codes: 0 success, 1 run failed,
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
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddCommandLine(args, SwitchMappings.ToDictionary(StringComparer.OrdinalIgnoreCase));

        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));

        // Standard output carries only window lines and the summary; every log entry goes to standard error.
        builder.Logging.AddSimpleConsole(options => options.SingleLine = true);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(
            options => options.LogToStandardErrorThreshold = LogLevel.Trace);

        builder.Services.AddSystemd();
        builder.Services.AddEdgeAgent(builder.Configuration, output);
        return builder;
    }

    /// <summary>Runs the agent until the replay ends or a stop is requested, and returns the exit code.</summary>
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

        // Binding alone throws only when a value does not convert to its setting's type, such as
        // --threads two. The validator checks everything else when the host starts.
        try
        {
            _ = builder.Configuration.GetSection(AgentOptions.SectionName).Get<AgentOptions>();
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync($"ssdedge-agent: {ex.Message}");
            return ExitCodes.InvalidSettings;
        }

        var host = builder.Build();

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

    /// <summary>Returns the switches in <paramref name="args"/> that are neither mapped nor full
    /// configuration keys (which contain a colon).</summary>
    public static IReadOnlyList<string> FindUnknownSwitches(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var unknown = new List<string>();
        foreach (var arg in args)
        {
            // A negative number is a value, as in --speed -1, which the validator then rejects.
            if (!arg.StartsWith('-') || double.TryParse(arg, CultureInfo.InvariantCulture, out _))
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
}
