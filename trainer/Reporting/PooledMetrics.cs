using SsdEdge.Trainer.Evaluation;

namespace SsdEdge.Trainer.Reporting;

/// <summary>
/// Metrics of all folds' test predictions taken together. Accuracy, macro-F1 and kappa depend
/// only on the confusion matrix, so pooling sums the folds' matrices and recomputes from the sum.
/// </summary>
public static class PooledMetrics
{
    /// <summary>Sums the folds' confusion matrices and computes metrics over the pooled windows.</summary>
    /// <param name="folds">Test metrics of each fold, all over the same classes.</param>
    /// <exception cref="ArgumentException">
    /// There is no fold, the matrices differ in shape, or the folds hold no window in total.
    /// </exception>
    public static ClassificationMetrics Combine(IReadOnlyList<ClassificationMetrics> folds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        if (folds.Count == 0)
        {
            throw new ArgumentException("Pooling needs at least one fold; got none.", nameof(folds));
        }

        var classes = folds[0].ConfusionMatrix.Count;
        var sum = new int[classes, classes];
        for (var f = 0; f < folds.Count; f++)
        {
            var matrix = folds[f].ConfusionMatrix;
            if (matrix.Count != classes || matrix.Any(row => row.Count != classes))
            {
                throw new ArgumentException(
                    $"Fold {f} has a {matrix.Count}-row confusion matrix; fold 0 has {classes} x {classes}.",
                    nameof(folds));
            }

            for (var t = 0; t < classes; t++)
            {
                for (var p = 0; p < classes; p++)
                {
                    sum[t, p] += matrix[t][p];
                }
            }
        }

        // Expand the pooled counts back into label and prediction lists so that the figures come
        // from the same code as each fold's.
        var labels = new List<int>();
        var predictions = new List<int>();
        for (var t = 0; t < classes; t++)
        {
            for (var p = 0; p < classes; p++)
            {
                labels.AddRange(Enumerable.Repeat(t, sum[t, p]));
                predictions.AddRange(Enumerable.Repeat(p, sum[t, p]));
            }
        }

        return Metrics.Compute(labels, predictions, classes);
    }
}
