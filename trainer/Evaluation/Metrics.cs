namespace SsdEdge.Trainer.Evaluation;

/// <summary>Classification metrics computed from true labels and predicted labels.</summary>
public static class Metrics
{
    /// <summary>Computes accuracy, macro-F1, Cohen's kappa and the confusion matrix.</summary>
    /// <param name="labels">True class of each window.</param>
    /// <param name="predictions">Predicted class of each window.</param>
    /// <param name="classCount">Number of classes; every label and prediction must lie below it.</param>
    /// <exception cref="ArgumentException">
    /// The lists are empty or differ in length, or a class index is out of range.
    /// </exception>
    public static ClassificationMetrics Compute(
        IReadOnlyList<int> labels,
        IReadOnlyList<int> predictions,
        int classCount)
    {
        var matrix = ConfusionMatrix(labels, predictions, classCount);
        var count = labels.Count;

        var correct = 0;
        for (var c = 0; c < classCount; c++)
        {
            correct += matrix[c][c];
        }

        var perClassF1 = new double[classCount];
        var presentClasses = 0;
        var f1Sum = 0.0;
        var chanceAgreement = 0.0;
        for (var c = 0; c < classCount; c++)
        {
            var truePositives = matrix[c][c];
            var actual = matrix[c].Sum();
            var predicted = matrix.Sum(row => row[c]);
            if (actual + predicted > 0)
            {
                perClassF1[c] = 2.0 * truePositives / (actual + predicted);
                f1Sum += perClassF1[c];
                presentClasses++;
            }

            chanceAgreement += (double)actual / count * ((double)predicted / count);
        }

        var accuracy = (double)correct / count;
        return new ClassificationMetrics(
            count,
            accuracy,
            f1Sum / presentClasses,
            Kappa(accuracy, chanceAgreement),
            perClassF1,
            matrix);
    }

    /// <summary>Returns the fraction of windows whose prediction equals the label.</summary>
    /// <exception cref="ArgumentException">The lists are empty or differ in length.</exception>
    public static double Accuracy(IReadOnlyList<int> labels, IReadOnlyList<int> predictions)
    {
        CheckLengths(labels, predictions);
        var correct = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            if (labels[i] == predictions[i])
            {
                correct++;
            }
        }

        return (double)correct / labels.Count;
    }

    /// <summary>Counts windows by true class (row) and predicted class (column).</summary>
    /// <exception cref="ArgumentException">
    /// The lists are empty or differ in length, or a class index is out of range.
    /// </exception>
    public static int[][] ConfusionMatrix(IReadOnlyList<int> labels, IReadOnlyList<int> predictions, int classCount)
    {
        CheckLengths(labels, predictions);
        if (classCount < 1)
        {
            throw new ArgumentException($"Class count must be at least 1; got {classCount}.", nameof(classCount));
        }

        var matrix = new int[classCount][];
        for (var c = 0; c < classCount; c++)
        {
            matrix[c] = new int[classCount];
        }

        for (var i = 0; i < labels.Count; i++)
        {
            CheckClass(labels[i], classCount, "label", i);
            CheckClass(predictions[i], classCount, "prediction", i);
            matrix[labels[i]][predictions[i]]++;
        }

        return matrix;
    }

    // Kappa is undefined when chance agreement is 1 (one class in both labels and predictions);
    // it is reported as 0 there so that no NaN reaches tables and plots.
    private static double Kappa(double observedAgreement, double chanceAgreement)
    {
        var denominator = 1.0 - chanceAgreement;
        return denominator <= 1e-12 ? 0.0 : (observedAgreement - chanceAgreement) / denominator;
    }

    private static void CheckLengths(IReadOnlyList<int> labels, IReadOnlyList<int> predictions)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(predictions);
        if (labels.Count == 0)
        {
            throw new ArgumentException("Metrics need at least one labelled window; got none.", nameof(labels));
        }

        if (labels.Count != predictions.Count)
        {
            throw new ArgumentException(
                $"{labels.Count} labels but {predictions.Count} predictions; each window needs one of each.",
                nameof(predictions));
        }
    }

    private static void CheckClass(int value, int classCount, string role, int index)
    {
        if (value < 0 || value >= classCount)
        {
            throw new ArgumentException(
                $"Window {index}: {role} {value} is outside the {classCount} classes (0..{classCount - 1}).",
                role == "label" ? "labels" : "predictions");
        }
    }
}
