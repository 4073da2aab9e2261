using SsdEdge.EdgeAgent.Pipeline;

namespace SsdEdge.EdgeAgent.Output;

/// <summary>Receives every window outcome and, once the run ends, its summary.</summary>
/// <remarks>Calls come from one pipeline thread at a time and must not block for long: a sink that
/// talks to the network queues its work.</remarks>
public interface IWindowSink
{
    /// <summary>Records one window outcome.</summary>
    void Write(WindowResult result);

    /// <summary>Records the run's totals; no <see cref="Write"/> follows.</summary>
    void Complete(RunSummary summary);
}
