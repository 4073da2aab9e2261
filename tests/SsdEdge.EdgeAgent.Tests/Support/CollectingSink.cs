using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Pipeline;

namespace SsdEdge.EdgeAgent.Tests.Support;

/// <summary>Keeps every window outcome and the summary in memory.</summary>
public sealed class CollectingSink : IWindowSink
{
    public List<WindowResult> Results { get; } = [];

    public RunSummary? Summary { get; private set; }

    public void Write(WindowResult result) => Results.Add(result);

    public void Complete(RunSummary summary) => Summary = summary;
}
