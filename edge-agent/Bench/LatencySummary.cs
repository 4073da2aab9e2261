using SsdEdge.EdgeAgent.Pipeline;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>Distribution of measured times, in ms.</summary>
/// <param name="Count">Number of measurements.</param>
/// <param name="MeanMs">Arithmetic mean.</param>
/// <param name="P50Ms">Median.</param>
/// <param name="P90Ms">90th percentile.</param>
/// <param name="P99Ms">99th percentile.</param>
/// <param name="MaxMs">Largest measurement.</param>
public sealed record LatencySummary(int Count, double MeanMs, double P50Ms, double P90Ms, double P99Ms, double MaxMs)
{
    /// <summary>Summarises <paramref name="samplesMs"/>; percentiles interpolate linearly.</summary>
    /// <exception cref="ArgumentException">There are no measurements.</exception>
    public static LatencySummary From(IReadOnlyCollection<double> samplesMs)
    {
        ArgumentNullException.ThrowIfNull(samplesMs);
        if (samplesMs.Count == 0)
        {
            throw new ArgumentException("A latency summary needs at least one measurement.", nameof(samplesMs));
        }

        var sorted = samplesMs.Order().ToArray();
        return new LatencySummary(
            sorted.Length,
            sorted.Average(),
            RunStatistics.Percentile(sorted, 50),
            RunStatistics.Percentile(sorted, 90),
            RunStatistics.Percentile(sorted, 99),
            sorted[^1]);
    }
}
