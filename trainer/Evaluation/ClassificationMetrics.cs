namespace SsdEdge.Trainer.Evaluation;

/// <summary>Agreement between true labels and predictions over a set of windows.</summary>
/// <param name="Count">Number of windows.</param>
/// <param name="Accuracy">Fraction of windows predicted correctly.</param>
/// <param name="MacroF1">
/// Unweighted mean of the per-class F1 scores over the classes that occur in the labels or the
/// predictions.
/// </param>
/// <param name="CohenKappa">Cohen's kappa: agreement corrected for chance.</param>
/// <param name="PerClassF1">F1 score of each class; 0 for a class with no true or predicted window.</param>
/// <param name="ConfusionMatrix">
/// Counts indexed [true class][predicted class].
/// </param>
public sealed record ClassificationMetrics(
    int Count,
    double Accuracy,
    double MacroF1,
    double CohenKappa,
    IReadOnlyList<double> PerClassF1,
    IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix);
