namespace SsdEdge.EdgeAgent.Sources.Mqtt;

/// <summary>An MQTT payload that cannot become samples, with the ingest cause it is counted under.</summary>
public sealed class PayloadRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PayloadRejectedException()
        : this(IngestRejection.InvalidPayload, "The payload is invalid.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public PayloadRejectedException(string message)
        : this(IngestRejection.InvalidPayload, message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public PayloadRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Cause = IngestRejection.InvalidPayload;
    }

    /// <summary>Creates the exception counted under <paramref name="cause"/>.</summary>
    public PayloadRejectedException(IngestRejection cause, string message)
        : base(message)
    {
        Cause = cause;
    }

    /// <summary>Cause the payload is counted under.</summary>
    public IngestRejection Cause { get; }
}
