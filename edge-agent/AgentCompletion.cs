using SsdEdge.EdgeAgent.Pipeline;

namespace SsdEdge.EdgeAgent;

/// <summary>Signals the end of the agent's run, with its outcome, to the program and to tests.</summary>
public sealed class AgentCompletion
{
    private readonly TaskCompletionSource<AgentRunOutcome> _outcome =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the run has ended and its summary has been written.</summary>
    public Task<AgentRunOutcome> Outcome => _outcome.Task;

    /// <summary>Records a run that ended normally.</summary>
    public void SetSucceeded(RunSummary summary) =>
        _outcome.TrySetResult(new AgentRunOutcome(ExitCodes.Success, null, summary));

    /// <summary>Records a run that failed with <paramref name="message"/>.</summary>
    public void SetFailed(string message, RunSummary summary) =>
        _outcome.TrySetResult(new AgentRunOutcome(ExitCodes.RunFailed, message, summary));
}
