using System.Text.Json;
using System.Text.Json.Serialization;
using SsdEdge.Trainer.Evaluation;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Runs;

/// <summary>
/// Contents of <c>report.json</c>. The top-level figures are those of the model in model.bin,
/// selected on validation subjects when the run had them, else after the last epoch.
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

    /// <summary>How the reported model was chosen: <c>validation</c> or <c>last_epoch</c>.</summary>
    public required string SelectedBy { get; init; }

    /// <summary>Test accuracy of the reported model.</summary>
    public double Accuracy { get; init; }

    /// <summary>Test macro-averaged F1 of the reported model.</summary>
    public double MacroF1 { get; init; }

    /// <summary>Test Cohen's kappa of the reported model.</summary>
    public double Kappa { get; init; }

    /// <summary>Class labels, indexing the confusion matrix.</summary>
    public required IReadOnlyList<string> ClassLabels { get; init; }

    /// <summary>Test confusion matrix of the reported model: rows are true classes.</summary>
    public required IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix { get; init; }

    /// <summary>Test metrics of the validation-selected model, or null without validation subjects.</summary>
    public ClassificationMetrics? ValidationSelected { get; init; }

    /// <summary>Test metrics after the last epoch.</summary>
    public required ClassificationMetrics LastEpoch { get; init; }

    /// <summary>Epoch chosen on validation subjects, or null.</summary>
    public int? BestEpoch { get; init; }

    /// <summary>Held-out subjects the test figures come from.</summary>
    public required IReadOnlyList<string> TestSubjects { get; init; }

    /// <summary>One entry per fold; a single split is one fold.</summary>
    public required IReadOnlyList<FoldReport> Folds { get; init; }

    /// <summary>Builds the report of a single-split run.</summary>
    public static TrainingReport Create(
        RunInfo info,
        IReadOnlyList<string> classLabels,
        string selectedBy,
        ClassificationMetrics selected,
        ClassificationMetrics lastEpoch,
        TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(selected);
        ArgumentNullException.ThrowIfNull(result);
        return new TrainingReport
        {
            RunId = info.RunId,
            Source = info.Source,
            SelectedBy = selectedBy,
            Accuracy = selected.Accuracy,
            MacroF1 = selected.MacroF1,
            Kappa = selected.CohenKappa,
            ClassLabels = classLabels,
            ConfusionMatrix = selected.ConfusionMatrix,
            ValidationSelected = result.BestState is null ? null : selected,
            LastEpoch = lastEpoch,
            BestEpoch = result.BestEpoch,
            TestSubjects = info.TestSubjects,
            Folds = [new FoldReport("holdout", info.TestSubjects, selected.Accuracy, selected.MacroF1, selected.CohenKappa)],
        };
    }
}

/// <summary>Test figures of one fold.</summary>
/// <param name="Name">Fold name.</param>
/// <param name="TestSubjects">Subjects tested in the fold.</param>
/// <param name="Accuracy">Test accuracy.</param>
/// <param name="MacroF1">Test macro-F1.</param>
/// <param name="Kappa">Test Cohen's kappa.</param>
public sealed record FoldReport(
    string Name,
    IReadOnlyList<string> TestSubjects,
    double Accuracy,
    double MacroF1,
    double Kappa);
