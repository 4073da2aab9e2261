namespace SsdEdge.Trainer.Export;

/// <summary>Outcome of a parity check between an exported ONNX model and its reference implementation.</summary>
/// <param name="ModelPath">The ONNX file that was checked.</param>
/// <param name="Tolerance">Largest allowed absolute difference.</param>
/// <param name="Results">One entry per optimisation level and batch size.</param>
public sealed record ParityReport(string ModelPath, double Tolerance, IReadOnlyList<ParityResult> Results)
{
    /// <summary>True when every setting passed.</summary>
    public bool Passed => Results.All(result => result.Passed);

    /// <summary>Largest logit difference over all settings (NaN if any setting produced NaN).</summary>
    public double MaxLogitDifference => Max(Results.Select(result => result.MaxLogitDifference));

    /// <summary>Largest probability difference over all settings (NaN if any setting produced NaN).</summary>
    public double MaxProbabilityDifference => Max(Results.Select(result => result.MaxProbabilityDifference));

    private static double Max(IEnumerable<double> values)
    {
        var max = 0.0;
        foreach (var value in values)
        {
            if (double.IsNaN(value))
            {
                return double.NaN;
            }

            max = Math.Max(max, value);
        }

        return max;
    }
}
