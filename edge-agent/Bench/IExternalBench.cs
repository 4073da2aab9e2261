namespace SsdEdge.EdgeAgent.Bench;

/// <summary>
/// A benchmark section that needs parts outside the in-process pipeline, such as end-to-end
/// latency from a device through the MQTT broker to an alert subscriber, or capacity measured
/// through that broker. Register one with <see cref="BenchRunner"/> under a name from
/// <see cref="ExternalSectionNames"/> to replace its "not available" entry.
/// </summary>
public interface IExternalBench
{
    /// <summary>Section name; one of <see cref="ExternalSectionNames"/>.</summary>
    string Name { get; }

    /// <summary>Measures the section; figures carry their unit in their name, such as <c>p99Ms</c>.</summary>
    Task<ExternalSection> RunAsync(BenchContext context, CancellationToken cancellationToken);
}

/// <summary>Names of the sections every report lists, measured or not.</summary>
public static class ExternalSectionNames
{
    /// <summary>Time from the arrival of a window's last sample to an alert received by a
    /// subscriber through a real broker.</summary>
    public const string EndToEnd = "endToEnd";

    /// <summary>Devices served through a real broker with no sample dropped and p99 end-to-end
    /// latency under the limit.</summary>
    public const string BrokerCapacity = "brokerCapacity";

    /// <summary>Every name, in report order.</summary>
    public static IReadOnlyList<string> All { get; } = [EndToEnd, BrokerCapacity];
}

/// <summary>What an external section may use: the options, the loaded model and the synthetic
/// feed the other sections measured.</summary>
/// <param name="Options">Options of the run.</param>
/// <param name="ModelPath">Model file the run loaded.</param>
/// <param name="Feed">Synthetic frames in the model's channel order at the device rate.</param>
public sealed record BenchContext(BenchOptions Options, string ModelPath, SyntheticFeed Feed);
