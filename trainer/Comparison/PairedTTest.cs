namespace SsdEdge.Trainer.Comparison;

/// <summary>Two-sided paired t-test on per-fold differences.</summary>
/// <param name="Count">Number of pairs.</param>
/// <param name="MeanDifference">Mean of the differences (second minus first).</param>
/// <param name="StandardDeviation">Sample standard deviation of the differences.</param>
/// <param name="T">t statistic, or NaN when fewer than two pairs or all differences are equal.</param>
/// <param name="PValue">Two-sided p-value, or NaN when <paramref name="T"/> is NaN.</param>
public sealed record PairedTTest(
    int Count,
    double MeanDifference,
    double StandardDeviation,
    double T,
    double PValue)
{
    /// <summary>Runs the test on <paramref name="differences"/>.</summary>
    public static PairedTTest Of(IReadOnlyList<double> differences)
    {
        ArgumentNullException.ThrowIfNull(differences);
        var count = differences.Count;
        if (count == 0)
        {
            return new PairedTTest(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var mean = differences.Average();
        if (count < 2)
        {
            return new PairedTTest(count, mean, double.NaN, double.NaN, double.NaN);
        }

        var deviation = Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (count - 1));
        // Equal differences leave only rounding noise in the deviation, and no test is defined.
        if (deviation <= 1e-12 * Math.Max(1, Math.Abs(mean)))
        {
            return new PairedTTest(count, mean, 0, double.NaN, double.NaN);
        }

        var t = mean / (deviation / Math.Sqrt(count));
        return new PairedTTest(count, mean, deviation, t, TwoSidedPValue(t, count - 1));
    }

    /// <summary>Returns P(|T| ≥ |t|) for Student's t with <paramref name="degreesOfFreedom"/>.</summary>
    public static double TwoSidedPValue(double t, int degreesOfFreedom)
    {
        // P(|T| >= |t|) = I_x(df/2, 1/2) with x = df / (df + t²), the regularised incomplete beta.
        var x = degreesOfFreedom / (degreesOfFreedom + (t * t));
        return RegularizedIncompleteBeta(degreesOfFreedom / 2.0, 0.5, x);
    }

    // I_x(a, b) by its continued fraction (modified Lentz), using the symmetry
    // I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges slowly.
    private static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        var logFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b)
            + (a * Math.Log(x)) + (b * Math.Log(1 - x));
        if (x < (a + 1) / (a + b + 2))
        {
            return Math.Exp(logFront) * ContinuedFraction(a, b, x) / a;
        }

        return 1 - (Math.Exp(logFront) * ContinuedFraction(b, a, 1 - x) / b);
    }

    private static double ContinuedFraction(double a, double b, double x)
    {
        const double Tiny = 1e-300;
        const double Epsilon = 1e-15;
        var c = 1.0;
        var d = 1 - ((a + b) * x / (a + 1));
        d = Math.Abs(d) < Tiny ? Tiny : d;
        d = 1 / d;
        var result = d;
        for (var m = 1; m <= 500; m++)
        {
            // Even step.
            var numerator = m * (b - m) * x / ((a + (2 * m) - 1) * (a + (2 * m)));
            d = 1 + (numerator * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (numerator / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            result *= d * c;

            // Odd step.
            numerator = -(a + m) * (a + b + m) * x / ((a + (2 * m)) * (a + (2 * m) + 1));
            d = 1 + (numerator * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (numerator / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            var step = d * c;
            result *= step;
            if (Math.Abs(step - 1) < Epsilon)
            {
                break;
            }
        }

        return result;
    }

    // Lanczos approximation (g = 7, nine coefficients); the tests check the p-values it gives
    // against t-tables to 5 decimals.
    private static double LogGamma(double x)
    {
        double[] coefficients =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7,
        ];
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        x -= 1;
        var sum = coefficients[0];
        for (var i = 1; i < coefficients.Length; i++)
        {
            sum += coefficients[i] / (x + i);
        }

        var t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }
}
