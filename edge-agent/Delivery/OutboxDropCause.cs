namespace SsdEdge.EdgeAgent.Delivery;

/// <summary>Why the outbox discarded a message without publishing it.</summary>
public enum OutboxDropCause
{
    /// <summary>The outbox was full: the oldest non-alert message made room, a new non-alert message
    /// found only alerts, or alerts alone filled it and the oldest alert made room.</summary>
    Full,

    /// <summary>The broker answered the publish with a reason code that a retry cannot change.</summary>
    RejectedByBroker,
}
