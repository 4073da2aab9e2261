using SsdEdge.EdgeAgent.Pipeline;

namespace SsdEdge.EdgeAgent.Output;

/// <summary>A sink that discards everything, registered where an optional output is switched off.</summary>
public sealed class NullWindowSink : IWindowSink
{
    /// <summary>The shared instance.</summary>
    public static NullWindowSink Instance { get; } = new();

    private NullWindowSink()
    {
    }

    /// <inheritdoc />
    public void Write(WindowResult result)
    {
    }

    /// <inheritdoc />
    public void Complete(RunSummary summary)
    {
    }
}
