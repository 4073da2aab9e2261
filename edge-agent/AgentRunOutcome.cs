using SsdEdge.EdgeAgent.Pipeline;

namespace SsdEdge.EdgeAgent;

/// <summary>How a run ended.</summary>
/// <param name="ExitCode">One of <see cref="ExitCodes"/>.</param>
/// <param name="ErrorMessage">Why the run failed, or null.</param>
/// <param name="Summary">Totals up to the end of the run.</param>
public sealed record AgentRunOutcome(int ExitCode, string? ErrorMessage, RunSummary Summary);
