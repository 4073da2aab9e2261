using System.Diagnostics;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Pipeline;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>
/// Counts window outcomes and records, for every scored window, the time from the arrival of the
/// block holding its last sample to the moment the sink receives the result, in ms.
/// </summary>
/// <remarks>Not thread-safe: the agent calls sinks from its one pipeline thread.</remarks>
internal sealed class WindowLatencySink : IWindowSink
{
    private readonly List<double> _latenciesMs = [];

    public long WindowsScored { get; private set; }

    public long WindowsOther { get; private set; }

    public IReadOnlyCollection<double> LatenciesMs => _latenciesMs;

    public void Write(WindowResult result)
    {
        if (result.Outcome != WindowOutcome.Scored)
        {
            WindowsOther++;
            return;
        }

        WindowsScored++;
        if (result.LastSampleReceivedTimestamp != 0)
        {
            var elapsed = Stopwatch.GetElapsedTime(result.LastSampleReceivedTimestamp);
            _latenciesMs.Add(elapsed.TotalMilliseconds);
        }
    }

    public void Complete(RunSummary summary)
    {
    }
}
