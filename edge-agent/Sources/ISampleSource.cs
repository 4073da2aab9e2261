namespace SsdEdge.EdgeAgent.Sources;

/// <summary>Produces blocks of samples from one or more devices.</summary>
public interface ISampleSource
{
    /// <summary>Text that identifies the source in logs, such as the replayed file.</summary>
    string Description { get; }

    /// <summary>
    /// Yields blocks in arrival order until the source ends or <paramref name="cancellationToken"/>
    /// is cancelled. Blocks of one device arrive in sample order.
    /// </summary>
    IAsyncEnumerable<SampleBlock> ReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether blocks arrive as their device produces them, so that arrival times measure the
    /// device's rate. True unless a source overrides it, as a replay does.
    /// </summary>
    bool IsLive => true;
}
