using System.Text.Json;
using System.Text.Json.Serialization;
using SsdEdge.Trainer.Evaluation;

namespace SsdEdge.Trainer.Runs;

/// <summary>
/// Contents of <c>report.json</c>. The top-level figures pool the test windows of every fold,
/// each predicted by its fold's chosen model: selected on validation subjects when the fold had
/// them, else after the last epoch. No figure is ever selected on test subjects.
/// </summary>
public sealed record TrainingReport
{
    /// <summary>JSON settings of report files: snake_case keys, indented.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Run identifier.</summary>
    public required string RunId { get; init; }

    /// <summary>Data source.</summary>
    public required string Source { get; init; }

    /// <summary>Fold plan in its text form.</summary>
    public required string FoldPlan { get; init; }

    /// <summary>Pooled test accuracy.</summary>
    public double Accuracy { get; init; }

    /// <summary>Pooled test macro-averaged F1.</summary>
    public double MacroF1 { get; init; }

    /// <summary>Pooled test Cohen's kappa.</summary>
    public double Kappa { get; init; }

    /// <summary>Class labels, indexing the confusion matrices.</summary>
    public required IReadOnlyList<string> ClassLabels { get; init; }

    /// <summary>Pooled test confusion matrix: rows are true classes, columns predicted ones.</summary>
    public required IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix { get; init; }

    /// <summary>Mean over folds of each fold's chosen-model figures.</summary>
    public required MetricSummary Mean { get; init; }

    /// <summary>Sample standard deviation over folds (0 for one fold).</summary>
    public required MetricSummary Std { get; init; }

    /// <summary>Pooled test figures of the last-epoch models, for comparison.</summary>
    public required MetricSummary LastEpochPooled { get; init; }

    /// <summary>One entry per fold.</summary>
    public required IReadOnlyList<FoldReport> Folds { get; init; }

    /// <summary>Builds the report from every fold's outcome.</summary>
    public static TrainingReport Create(
        RunInfo info,
        IReadOnlyList<string> classLabels,
        IReadOnlyList<FoldOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(classLabels);
        ArgumentNullException.ThrowIfNull(outcomes);
        var labels = outcomes.SelectMany(outcome => outcome.TestLabels).ToArray();
        var selectedPredictions = outcomes.SelectMany(outcome => outcome.SelectedPredictions).ToArray();
        var pooled = Metrics.Compute(labels, selectedPredictions, classLabels.Count);
        var lastPredictions = outcomes.SelectMany(outcome => outcome.LastEpochPredictions).ToArray();
        var lastPooled = Metrics.Compute(labels, lastPredictions, classLabels.Count);
        return new TrainingReport
        {
            RunId = info.RunId,
            Source = info.Source,
            FoldPlan = info.FoldPlan,
            Accuracy = pooled.Accuracy,
            MacroF1 = pooled.MacroF1,
            Kappa = pooled.CohenKappa,
            ClassLabels = classLabels,
            ConfusionMatrix = pooled.ConfusionMatrix,
            Mean = Summarise(outcomes, values => values.Average()),
            Std = Summarise(outcomes, SampleStandardDeviation),
            LastEpochPooled = new MetricSummary(lastPooled.Accuracy, lastPooled.MacroF1, lastPooled.CohenKappa),
            Folds = outcomes.Select(FoldReport.From).ToArray(),
        };
    }

    private static MetricSummary Summarise(IReadOnlyList<FoldOutcome> outcomes, Func<double[], double> aggregate) =>
        new(
            aggregate(outcomes.Select(outcome => outcome.Selected.Accuracy).ToArray()),
            aggregate(outcomes.Select(outcome => outcome.Selected.MacroF1).ToArray()),
            aggregate(outcomes.Select(outcome => outcome.Selected.CohenKappa).ToArray()));

    private static double SampleStandardDeviation(double[] values)
    {
        if (values.Length < 2)
        {
            return 0;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(value => (value - mean) * (value - mean)) / (values.Length - 1));
    }
}

/// <summary>Accuracy, macro-F1 and Cohen's kappa.</summary>
/// <param name="Accuracy">Share of windows classified correctly.</param>
/// <param name="MacroF1">Unweighted mean of the per-class F1 scores.</param>
/// <param name="Kappa">Cohen's kappa.</param>
public sealed record MetricSummary(double Accuracy, double MacroF1, double Kappa);

/// <summary>Test figures of one fold.</summary>
/// <param name="Name">Fold name.</param>
/// <param name="TestSubjects">Subjects tested in the fold.</param>
/// <param name="TestWindows">Windows tested.</param>
/// <param name="BestEpoch">Epoch chosen on validation subjects, or null.</param>
/// <param name="SelectedBy"><c>validation</c> or <c>last_epoch</c>.</param>
/// <param name="Accuracy">Test accuracy of the chosen model.</param>
/// <param name="MacroF1">Test macro-F1 of the chosen model.</param>
/// <param name="Kappa">Test Cohen's kappa of the chosen model.</param>
/// <param name="LastEpoch">Test figures after the last epoch.</param>
/// <param name="ConfusionMatrix">Test confusion matrix of the chosen model.</param>
public sealed record FoldReport(
    string Name,
    IReadOnlyList<string> TestSubjects,
    int TestWindows,
    int? BestEpoch,
    string SelectedBy,
    double Accuracy,
    double MacroF1,
    double Kappa,
    MetricSummary LastEpoch,
    IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix)
{
    /// <summary>Summarises one fold's outcome.</summary>
    public static FoldReport From(FoldOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var last = outcome.LastEpoch;
        return new FoldReport(
            outcome.Info.Name,
            outcome.Info.TestSubjects,
            outcome.TestWindows,
            outcome.BestEpoch,
            outcome.SelectedBy,
            outcome.Selected.Accuracy,
            outcome.Selected.MacroF1,
            outcome.Selected.CohenKappa,
            new MetricSummary(last.Accuracy, last.MacroF1, last.CohenKappa),
            outcome.Selected.ConfusionMatrix);
    }
}
