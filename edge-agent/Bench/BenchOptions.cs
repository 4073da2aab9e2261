using System.Globalization;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>Settings of <c>ssdedge-agent bench</c>, parsed from its command line.</summary>
public sealed record BenchOptions
{
    /// <summary>Help text printed by <c>bench --help</c>.</summary>
    public const string Usage = """
        Usage: ssdedge-agent bench [options]

        Measures what a deployment needs: inference latency per window at batch 1, preprocessing
        per hop, process CPU share at one window per hop with ONNX Runtime spinning on and off,
        resident memory, in-process capacity in devices, and through a real MQTT broker on
        127.0.0.1 the latency from a sample's arrival to the alert and window messages a
        subscriber receives, and the devices one agent serves that way. Input windows are
        synthetic physiology drawn from --seed, so two runs measure the same windows.

          --model FILE              ONNX model exported with its signal contract
                                    (default models/synthetic-demo.onnx beside the program)
          --compare-onnx FILE       another ONNX graph with the same input shape, such as a
                                    PyTorch export of the same weights, run interleaved with the
                                    model in the same ONNX Runtime with the same session options
          --threads N               ONNX Runtime intra-op threads, 1 to 64 (default 1)
          --windows N               measured windows per latency section (default 300)
          --warmup N                windows run before measuring (default 30)
          --seed N                  seed of the synthetic windows (default 1)
          --device-rate HZ          sampling rate of the simulated devices, 50 to 100000 Hz
                                    (default 512)
          --hop-seconds S           seconds between the ends of consecutive windows (default 1)
          --duty-seconds S          wall time of each CPU-share run, in s (default 30)
          --devices N               devices held in memory for the resident-memory figure
                                    (default 10)
          --capacity-steps LIST     device counts tried in turn, comma-separated
                                    (default 25,50,100,200,400)
          --capacity-seconds S      wall time of each capacity step, in s (default 20)
          --max-p99-ms MS           p99 window latency a capacity step must stay under, in ms
                                    (default 100)
          --no-capacity             skip the in-process and the broker capacity sections
          --broker-host HOST        MQTT broker of the endToEnd and brokerCapacity sections,
                                    such as a Mosquitto on 127.0.0.1 (default: an embedded
                                    broker on 127.0.0.1, started for each run)
          --broker-port PORT        port of --broker-host, 1 to 65535 (default 1883)
          --e2e-devices N           devices of the endToEnd section (default 5)
          --e2e-seconds S           measured wall time of the endToEnd section, after the
                                    first windows, in s (default 60)
          --broker-steps LIST       device counts the brokerCapacity section tries in turn
                                    (default 10,25,50,100,200,400)
          --broker-seconds S        measured wall time of each brokerCapacity step, after its
                                    first windows, in s (default 20)
          --outbox-dir DIR          folder for the outboxes of the broker sections; alerts are
                                    fsynced there (default: a new folder under the system's
                                    temporary folder, deleted afterwards)
          --no-broker               skip the endToEnd and brokerCapacity sections
          --json                    print the report as JSON instead of a table
          --json-file FILE          also write the JSON report to FILE
          --smoke                   a few seconds in all: checks that every section runs;
                                    its figures mean nothing
          -h, --help                print this text

        Exit codes: 0 success, 1 a section failed, 2 invalid options, 3 model cannot be loaded.
        """;

    /// <summary>Model file; empty means the bundled demo model.</summary>
    public string ModelPath { get; init; } = "";

    /// <summary>Graph run side by side with the model; null for none.</summary>
    public string? CompareOnnxPath { get; init; }

    /// <summary>ONNX Runtime intra-op threads.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Measured windows per latency section.</summary>
    public int Windows { get; init; } = 300;

    /// <summary>Windows run before measuring.</summary>
    public int Warmup { get; init; } = 30;

    /// <summary>Seed of the synthetic windows.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Sampling rate of the simulated devices, in Hz.</summary>
    public double DeviceRateHz { get; init; } = 512;

    /// <summary>Seconds between the ends of consecutive windows.</summary>
    public double HopSeconds { get; init; } = 1;

    /// <summary>Wall time of each CPU-share run, in seconds.</summary>
    public double DutySeconds { get; init; } = 30;

    /// <summary>Devices held in memory for the resident-memory figure.</summary>
    public int Devices { get; init; } = 10;

    /// <summary>Device counts the capacity section tries, in order.</summary>
    public IReadOnlyList<int> CapacitySteps { get; init; } = [25, 50, 100, 200, 400];

    /// <summary>Wall time of each capacity step, in seconds.</summary>
    public double CapacitySeconds { get; init; } = 20;

    /// <summary>p99 window latency a capacity step must stay under, in ms.</summary>
    public double MaxP99Ms { get; init; } = 100;

    /// <summary>Whether the capacity section runs.</summary>
    public bool RunCapacity { get; init; } = true;

    /// <summary>Host of the external broker of the broker sections; empty starts an embedded broker
    /// on 127.0.0.1 for each run.</summary>
    public string BrokerHost { get; init; } = "";

    /// <summary>Port of <see cref="BrokerHost"/>.</summary>
    public int BrokerPort { get; init; } = 1883;

    /// <summary>Devices of the end-to-end section.</summary>
    public int EndToEndDevices { get; init; } = 5;

    /// <summary>Measured wall time of the end-to-end section, in seconds.</summary>
    public double EndToEndSeconds { get; init; } = 60;

    /// <summary>Device counts the broker capacity section tries, in order.</summary>
    public IReadOnlyList<int> BrokerSteps { get; init; } = [10, 25, 50, 100, 200, 400];

    /// <summary>Measured wall time of each broker capacity step, in seconds.</summary>
    public double BrokerSeconds { get; init; } = 20;

    /// <summary>Folder for the outboxes of the broker sections; empty for a new temporary folder.</summary>
    public string OutboxDirectory { get; init; } = "";

    /// <summary>Whether the end-to-end and broker capacity sections run.</summary>
    public bool RunBroker { get; init; } = true;

    /// <summary>Whether the report goes to standard output as JSON instead of a table.</summary>
    public bool Json { get; init; }

    /// <summary>File the JSON report is also written to; null for none.</summary>
    public string? JsonFile { get; init; }

    /// <summary>Whether this is a short run that only checks every section works.</summary>
    public bool Smoke { get; init; }

    /// <summary>Whether help was requested.</summary>
    public bool Help { get; init; }

    /// <summary>Returns these options cut down to a run of a few seconds.</summary>
    public BenchOptions ToSmoke() => this with
    {
        Smoke = true,
        Windows = Math.Min(Windows, 20),
        Warmup = Math.Min(Warmup, 3),
        DutySeconds = Math.Min(DutySeconds, 1.5),
        Devices = Math.Min(Devices, 3),
        CapacitySteps = [2],
        CapacitySeconds = Math.Min(CapacitySeconds, 2.5),
        EndToEndDevices = Math.Min(EndToEndDevices, 3),
        EndToEndSeconds = Math.Min(EndToEndSeconds, 3.5),
        BrokerSteps = [2],
        BrokerSeconds = Math.Min(BrokerSeconds, 2),
    };

    /// <summary>Parses the arguments after <c>bench</c>.</summary>
    /// <exception cref="FormatException">An option is unknown, lacks its value, or its value is
    /// invalid or out of range; the message names the option.</exception>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new BenchOptions();
        var smoke = false;
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = SplitArgument(args[i]);
            string Value()
            {
                if (inlineValue is not null)
                {
                    return inlineValue;
                }

                if (i + 1 >= args.Count)
                {
                    throw new FormatException($"Option {name} needs a value; see 'ssdedge-agent bench --help'.");
                }

                i++;
                return args[i];
            }

            options = name switch
            {
                "--model" => options with { ModelPath = Value() },
                "--compare-onnx" => options with { CompareOnnxPath = Value() },
                "--threads" => options with { Threads = ParseInt(name, Value(), 1, 64) },
                "--windows" => options with { Windows = ParseInt(name, Value(), 1, 1_000_000) },
                "--warmup" => options with { Warmup = ParseInt(name, Value(), 0, 1_000_000) },
                "--seed" => options with { Seed = ParseSeed(name, Value()) },
                "--device-rate" => options with { DeviceRateHz = ParseDouble(name, Value(), 50, 100_000) },
                "--hop-seconds" => options with { HopSeconds = ParseDouble(name, Value(), 0.01, 60) },
                "--duty-seconds" => options with { DutySeconds = ParseDouble(name, Value(), 0.1, 86_400) },
                "--devices" => options with { Devices = ParseInt(name, Value(), 1, 100_000) },
                "--capacity-steps" => options with { CapacitySteps = ParseSteps(name, Value(), 100_000) },
                "--capacity-seconds" => options with
                {
                    CapacitySeconds = ParseDouble(name, Value(), 0.1, 86_400),
                },
                "--max-p99-ms" => options with { MaxP99Ms = ParseDouble(name, Value(), 0.001, 1_000_000) },
                "--no-capacity" => options with { RunCapacity = false },
                "--broker-host" => options with { BrokerHost = Value() },
                "--broker-port" => options with { BrokerPort = ParseInt(name, Value(), 1, 65_535) },
                "--e2e-devices" => options with { EndToEndDevices = ParseInt(name, Value(), 1, 10_000) },
                "--e2e-seconds" => options with { EndToEndSeconds = ParseDouble(name, Value(), 0.1, 86_400) },
                "--broker-steps" => options with { BrokerSteps = ParseSteps(name, Value(), 10_000) },
                "--broker-seconds" => options with { BrokerSeconds = ParseDouble(name, Value(), 0.1, 86_400) },
                "--outbox-dir" => options with { OutboxDirectory = Value() },
                "--no-broker" => options with { RunBroker = false },
                "--json" => options with { Json = true },
                "--json-file" => options with { JsonFile = ParseOutputFile(name, Value()) },
                "--smoke" => SetFlag(options, ref smoke),
                "-h" or "--help" => options with { Help = true },
                _ => throw new FormatException(
                    $"Unknown option '{args[i]}'; see 'ssdedge-agent bench --help'."),
            };
        }

        return smoke ? options.ToSmoke() : options;
    }

    // The report is written after the whole run, so a folder that does not exist is rejected first.
    private static string ParseOutputFile(string name, string path)
    {
        if (path.Length == 0 || Directory.Exists(path)
            || Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder && !Directory.Exists(folder))
        {
            throw new FormatException(
                $"Option {name} must name a file in an existing folder; got '{path}'.");
        }

        return path;
    }

    private static BenchOptions SetFlag(BenchOptions options, ref bool flag)
    {
        flag = true;
        return options;
    }

    private static (string Name, string? Value) SplitArgument(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        return argument.StartsWith("--", StringComparison.Ordinal) && equals > 0
            ? (argument[..equals], argument[(equals + 1)..])
            : (argument, null);
    }

    private static int ParseInt(string name, string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            || value < min
            || value > max)
        {
            throw new FormatException($"Option {name} must be a whole number from {min} to {max}; got '{text}'.");
        }

        return value;
    }

    private static double ParseDouble(string name, string text, double min, double max)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || !(value >= min && value <= max))
        {
            throw new FormatException($"Option {name} must be a number from {min} to {max}; got '{text}'.");
        }

        return value;
    }

    private static ulong ParseSeed(string name, string text)
    {
        if (!ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"Option {name} must be a whole number of at least 0; got '{text}'.");
        }

        return value;
    }

    private static int[] ParseSteps(string name, string text, int max)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw new FormatException($"Option {name} needs at least one device count, such as 25,50,100.");
        }

        var steps = parts.Select(part => ParseInt(name, part, 1, max)).ToArray();
        for (var i = 1; i < steps.Length; i++)
        {
            if (steps[i] <= steps[i - 1])
            {
                throw new FormatException(
                    $"Option {name} must list device counts in increasing order; got '{text}'.");
            }
        }

        return steps;
    }
}
