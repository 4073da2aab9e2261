namespace SsdEdge.EdgeAgent;

/// <summary>
/// Settings of the agent, bound from the <c>Agent</c> configuration section
/// (appsettings.json, <c>SSDEDGE_Agent__Name</c> environment variables, or the command line).
/// </summary>
/// <remarks>Checked at start by <see cref="AgentOptionsValidator"/>.</remarks>
public sealed class AgentOptions
{
    /// <summary>Configuration section the options are bound from.</summary>
    public const string SectionName = "Agent";

    /// <summary>Lowest replay speed other than 0, as a multiple of real time.</summary>
    /// <remarks>Slower replays would wait for days between blocks, and wait times beyond
    /// <see cref="TimeSpan.MaxValue"/> cannot be represented.</remarks>
    public const double MinSpeed = 0.01;

    /// <summary>Highest replay speed, as a multiple of real time; 0 is faster still.</summary>
    public const double MaxSpeed = 1000;

    /// <summary>Most ONNX Runtime intra-op threads.</summary>
    /// <remarks>
    /// Intra-op threads beyond the processor's cores only compete for them. The limit is fixed,
    /// not derived from this machine, so a setting accepted here is accepted on every device. It
    /// stops a mistyped count (100000 threads) from exhausting memory before the first window.
    /// </remarks>
    public const int MaxThreads = 64;

    /// <summary>Shortest block, in seconds.</summary>
    public const double MinBlockSeconds = 0.001;

    /// <summary>Longest block, in seconds.</summary>
    public const double MaxBlockSeconds = 60;

    /// <summary>Longest rate-check interval, in seconds.</summary>
    public const double MaxRateCheckSeconds = 3600;

    /// <summary>Largest rate tolerance, as a fraction of the nominal rate.</summary>
    public const double MaxRateTolerance = 1;

    /// <summary>ONNX model file with an embedded signal contract (<c>--model</c>).</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>Recording to replay, as <c>FILE</c> or <c>FORMAT:FILE</c> with optional
    /// <c>?key=value</c> parameters, such as <c>fmov:subject09_100hz.tsv.gz</c> or
    /// <c>csv:recording.csv?rate=100</c> (<c>--replay</c>); empty for none. A replay turns the
    /// MQTT source and the simulator off unless they are enabled explicitly.</summary>
    public string Replay { get; set; } = "";

    /// <summary>Replay speed as a multiple of real time from <see cref="MinSpeed"/> to
    /// <see cref="MaxSpeed"/>; 0 replays as fast as possible (<c>--speed</c>).</summary>
    public double Speed { get; set; }

    /// <summary>Time between the ends of consecutive windows, in seconds (<c>--hop-seconds</c>).</summary>
    public double HopSeconds { get; set; } = 1.0;

    /// <summary>ONNX Runtime intra-op threads per inference, 1 to <see cref="MaxThreads"/>
    /// (<c>--threads</c>).</summary>
    public int Threads { get; set; } = 1;

    /// <summary>Duration of the samples a source delivers at once, in seconds, from
    /// <see cref="MinBlockSeconds"/> to <see cref="MaxBlockSeconds"/> (<c>--block-seconds</c>).</summary>
    public double BlockSeconds { get; set; } = 0.1;

    /// <summary>Optional JSON Lines file that receives one object per window (<c>--output</c>).</summary>
    public string? Output { get; set; }

    /// <summary>Seconds after which the run stops as on Ctrl-C; 0 runs until the sources end or a
    /// stop is requested (<c>--duration</c>).</summary>
    public double DurationSeconds { get; set; }

    /// <summary>Interval over which the arrival rate of a live device is compared with its nominal
    /// rate, in seconds, up to <see cref="MaxRateCheckSeconds"/>; 0 turns the check off
    /// (<c>--rate-check-seconds</c>).</summary>
    public double RateCheckSeconds { get; set; } = 10;

    /// <summary>Relative difference between measured and nominal rate that starts a rate-mismatch
    /// episode, above 0 and up to <see cref="MaxRateTolerance"/>; 0.1 is 10 %
    /// (<c>--rate-tolerance</c>).</summary>
    public double RateTolerance { get; set; } = 0.1;
}
