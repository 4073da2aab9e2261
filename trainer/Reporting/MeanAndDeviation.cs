namespace SsdEdge.Trainer.Reporting;

/// <summary>Mean and sample standard deviation of a figure over folds.</summary>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="StandardDeviation">
/// Sample standard deviation (divisor n - 1); null for a single value, where it is undefined.
/// </param>
/// <param name="Count">Number of values.</param>
public readonly record struct MeanAndDeviation(double Mean, double? StandardDeviation, int Count)
{
    /// <summary>Computes the mean and sample standard deviation of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">There is no value, or a value is not finite.</exception>
    public static MeanAndDeviation Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("A mean needs at least one value; got none.", nameof(values));
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException(
                    $"Value {i} is {values[i]}; expected a finite number.",
                    nameof(values));
            }
        }

        var mean = values.Average();
        if (values.Count == 1)
        {
            return new MeanAndDeviation(mean, null, 1);
        }

        var squares = values.Sum(value => (value - mean) * (value - mean));
        return new MeanAndDeviation(mean, Math.Sqrt(squares / (values.Count - 1)), values.Count);
    }
}
