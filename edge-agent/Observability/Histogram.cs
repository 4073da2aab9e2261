namespace SsdEdge.EdgeAgent.Observability;

/// <summary>Prometheus-style cumulative histogram of values in seconds.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class Histogram
{
    private readonly Lock _gate = new();
    private readonly long[] _counts;
    private double _sum;
    private long _count;

    /// <summary>Creates a histogram with the given upper bounds, in increasing order; a +Inf bucket is
    /// implied.</summary>
    public Histogram(IReadOnlyList<double> upperBounds)
    {
        ArgumentNullException.ThrowIfNull(upperBounds);
        for (var i = 1; i < upperBounds.Count; i++)
        {
            if (!(upperBounds[i] > upperBounds[i - 1]))
            {
                throw new ArgumentException("Bucket bounds must increase.", nameof(upperBounds));
            }
        }

        UpperBounds = upperBounds.ToArray();
        _counts = new long[UpperBounds.Count];
    }

    /// <summary>Upper bounds of the finite buckets.</summary>
    public IReadOnlyList<double> UpperBounds { get; }

    /// <summary>Adds one observation; NaN is ignored.</summary>
    public void Observe(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        lock (_gate)
        {
            for (var i = 0; i < _counts.Length; i++)
            {
                if (value <= UpperBounds[i])
                {
                    _counts[i]++;
                }
            }

            _sum += value;
            _count++;
        }
    }

    /// <summary>Cumulative counts per finite bucket, the sum and the total count.</summary>
    public (long[] Cumulative, double Sum, long Count) Snapshot()
    {
        lock (_gate)
        {
            return (_counts.ToArray(), _sum, _count);
        }
    }
}
