using TorchSharp;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Distillation;

/// <summary>
/// Quantiles with linear interpolation between the two nearest ranks, the default method of
/// <c>torch.quantile</c> and <c>numpy.quantile</c>: for sorted values v of length n and quantile
/// q, the position is q·(n − 1) and the result interpolates v[floor] and v[ceil] at its fraction.
/// </summary>
public static class LinearQuantile
{
    /// <summary>Computes the <paramref name="quantile"/> of every row of a (rows, n) tensor.</summary>
    /// <param name="values">(rows, n) values; n of at least 1.</param>
    /// <param name="quantile">Quantile in [0, 1], such as 0.9 for the 90th percentile.</param>
    /// <returns>(rows, 1) quantiles in the dtype of <paramref name="values"/>, without gradient.</returns>
    /// <exception cref="ArgumentException">The tensor is not 2-D with at least one column.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The quantile is outside [0, 1].</exception>
    public static Tensor OfRows(Tensor values, double quantile)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.dim() != 2 || values.shape[1] < 1)
        {
            throw new ArgumentException(
                $"Quantiles need a (rows, n) tensor with n >= 1; got ({string.Join(", ", values.shape)}).",
                nameof(values));
        }

        CheckQuantile(quantile);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var count = values.shape[1];
        var position = quantile * (count - 1);
        var below = (long)Math.Floor(position);
        var above = Math.Min(below + 1, count - 1);
        var weight = position - below;
        var sorted = values.sort(1).Values;
        var low = sorted.narrow(1, below, 1);
        var high = sorted.narrow(1, above, 1);

        // The same two-sided form as torch.lerp, so the result follows torch.quantile to rounding.
        var result = weight < 0.5
            ? low + ((high - low) * weight)
            : high - ((high - low) * (1 - weight));
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Computes the <paramref name="quantile"/> of <paramref name="values"/> in float64.</summary>
    /// <exception cref="ArgumentException">There are no values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The quantile is outside [0, 1].</exception>
    public static double Of(IReadOnlyList<double> values, double quantile)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("A quantile needs at least one value.", nameof(values));
        }

        CheckQuantile(quantile);
        using var row = tensor(values.ToArray(), [1, values.Count]);
        using var result = OfRows(row, quantile);
        return result.item<double>();
    }

    private static void CheckQuantile(double quantile)
    {
        if (!(quantile >= 0 && quantile <= 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(quantile),
                quantile,
                "The quantile must lie in [0, 1]; use 0.9 for the 90th percentile.");
        }
    }
}
