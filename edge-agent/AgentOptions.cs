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

    /// <summary>ONNX model file with an embedded signal contract (<c>--model</c>).</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>Recording to replay, as <c>FILE</c> or <c>FORMAT:FILE</c> with optional
    /// <c>?key=value</c> parameters, such as <c>fmov:subject09_100hz.tsv.gz</c> or
    /// <c>csv:recording.csv?rate=100</c> (<c>--replay</c>).</summary>
    public string Replay { get; set; } = "";

    /// <summary>Replay speed as a multiple of real time; 0 replays as fast as possible (<c>--speed</c>).</summary>
    public double Speed { get; set; }

    /// <summary>Time between the ends of consecutive windows, in seconds (<c>--hop-seconds</c>).</summary>
    public double HopSeconds { get; set; } = 1.0;

    /// <summary>ONNX Runtime intra-op threads per inference (<c>--threads</c>).</summary>
    public int Threads { get; set; } = 1;

    /// <summary>Duration of the samples a source delivers at once, in seconds (<c>--block-seconds</c>).</summary>
    public double BlockSeconds { get; set; } = 0.1;

    /// <summary>Optional JSON Lines file that receives one object per window (<c>--output</c>).</summary>
    public string? Output { get; set; }
}
