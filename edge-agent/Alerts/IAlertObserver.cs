namespace SsdEdge.EdgeAgent.Alerts;

/// <summary>Is told of every alert the policy raises or clears, after the alert is logged and
/// queued for delivery.</summary>
/// <remarks>Called on the pipeline thread of the alert's device, right after the window sinks saw
/// the window that caused it; it must not block for long.</remarks>
public interface IAlertObserver
{
    /// <summary>Receives one raise or clear event.</summary>
    void OnAlert(AlertEvent alert);
}
