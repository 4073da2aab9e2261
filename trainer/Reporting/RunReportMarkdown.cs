using System.Globalization;
using System.Text;
using SsdEdge.Trainer.Evaluation;

namespace SsdEdge.Trainer.Reporting;

/// <summary>
/// Formats a run summary as the Markdown of <c>report.md</c>: run facts, a table of folds, mean
/// and sample standard deviation over folds, pooled metrics and the pooled confusion matrix.
/// Figures have three decimals in the invariant culture.
/// </summary>
public static class RunReportMarkdown
{
    /// <summary>Sentence that states how the reported models were chosen.</summary>
    public const string SelectionStatement =
        "Every test figure comes from subjects held out of both training and model selection. "
        + "The validation-selected model is the epoch with the best score on validation subjects, "
        + "and the last-epoch model involves no choice, so no figure in this report was chosen by "
        + "looking at test subjects.";

    /// <summary>Formats the report.</summary>
    /// <param name="summary">The finished run; checked with <see cref="RunSummary.Validate"/>.</param>
    /// <param name="figures">Figures written next to the report, linked in its last section.</param>
    /// <param name="notes">Extra lines for the notes section, for example figures that failed.</param>
    public static string Format(
        RunSummary summary,
        IReadOnlyList<ReportFigure> figures,
        IReadOnlyList<string> notes)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(notes);
        summary.Validate();

        var text = new StringBuilder();
        AppendHeader(text, summary);
        AppendFolds(text, summary);
        AppendMeans(text, summary);
        AppendPooled(text, summary);
        AppendFigures(text, figures);
        AppendNotes(text, HistoryNotes(summary).Concat(notes).ToArray());
        return text.ToString();
    }

    /// <summary>Formats a figure with three decimals, or a dash when there is none.</summary>
    public static string Number(double? value)
    {
        return value switch
        {
            null => "—",
            var v when !double.IsFinite(v.Value) => "not finite",
            var v => v.Value.ToString("F3", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// Returns whether every fold has a validation-selected model, which the pooled and averaged
    /// validation-selected figures need.
    /// </summary>
    public static bool AllFoldsValidationSelected(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary.Folds.All(fold => fold.ValidationSelected is not null);
    }

    private static void AppendHeader(StringBuilder text, RunSummary summary)
    {
        text.Append(CultureInfo.InvariantCulture, $"# Run {Escape(summary.RunId)}\n\n");
        var created = summary.CreatedUtc.UtcDateTime
            .ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var version = summary.ProducerVersion.Length == 0 ? "unknown" : summary.ProducerVersion;
        text.Append("| | |\n|---|---|\n");
        AppendRow(text, "Source", Escape(summary.Source));
        AppendRow(text, "Created", $"{created} UTC");
        AppendRow(text, "Producer version", Escape(version));
        AppendRow(text, "Split plan", Escape(summary.SplitPlan));
        AppendRow(text, "Folds", Count(summary.Folds.Count));
        AppendRow(text, "Classes", Escape(string.Join(", ", summary.ClassLabels)));
        text.Append('\n').Append(SelectionStatement).Append("\n\n");
    }

    private static void AppendFolds(StringBuilder text, RunSummary summary)
    {
        text.Append("## Test figures per fold\n\n");
        text.Append("Validation-selected: the model from the epoch with the best validation score. ");
        text.Append("Last epoch: the model after the final epoch. ");
        text.Append("A dash marks a fold without validation subjects.\n\n");
        AppendRow(
            text,
            "Fold",
            "Test subjects",
            "Windows",
            "Best epoch",
            "Validation-selected accuracy",
            "Validation-selected macro-F1",
            "Validation-selected kappa",
            "Last-epoch accuracy",
            "Last-epoch macro-F1",
            "Last-epoch kappa");
        text.Append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        foreach (var fold in summary.Folds)
        {
            var selected = fold.ValidationSelected;
            var last = fold.LastEpoch;
            AppendRow(
                text,
                Escape(fold.Name),
                Escape(string.Join(", ", fold.TestSubjects)),
                Count(last.Count),
                fold.BestEpoch is { } bestEpoch ? Count(bestEpoch) : "—",
                Number(selected?.Accuracy),
                Number(selected?.MacroF1),
                Number(selected?.CohenKappa),
                Number(last.Accuracy),
                Number(last.MacroF1),
                Number(last.CohenKappa));
        }

        text.Append('\n');
    }

    private static void AppendMeans(StringBuilder text, RunSummary summary)
    {
        var folds = summary.Folds;
        text.Append("## Mean ± standard deviation over folds\n\n");
        text.Append(folds.Count == 1
            ? "With a single fold the standard deviation is undefined, so only the value is shown.\n\n"
            : $"Unweighted mean over {folds.Count} folds ± sample standard deviation (n − 1).\n\n");
        var selected = AllFoldsValidationSelected(summary)
            ? folds.Select(fold => fold.ValidationSelected!).ToArray()
            : null;
        var last = folds.Select(fold => fold.LastEpoch).ToArray();

        text.Append("| Metric | Validation-selected | Last epoch |\n|---|--:|--:|\n");
        AppendMeanRow(text, "Accuracy", selected, last, metrics => metrics.Accuracy);
        AppendMeanRow(text, "Macro-F1", selected, last, metrics => metrics.MacroF1);
        AppendMeanRow(text, "Cohen's kappa", selected, last, metrics => metrics.CohenKappa);
        text.Append('\n');
        if (selected is null)
        {
            var missing = folds.Count(fold => fold.ValidationSelected is null);
            text.Append("Validation-selected figures are left out because ");
            text.Append(CultureInfo.InvariantCulture, $"{missing} of {folds.Count} folds ");
            text.Append("had no validation subjects.\n\n");
        }
    }

    private static void AppendMeanRow(
        StringBuilder text,
        string name,
        ClassificationMetrics[]? selected,
        ClassificationMetrics[] last,
        Func<ClassificationMetrics, double> metric)
    {
        var selectedCell = selected is null ? "—" : MeanCell(selected.Select(metric).ToArray());
        var lastCell = MeanCell(last.Select(metric).ToArray());
        AppendRow(text, name, selectedCell, lastCell);
    }

    private static string MeanCell(double[] values)
    {
        var statistics = MeanAndDeviation.Of(values);
        return statistics.StandardDeviation is null
            ? Number(statistics.Mean)
            : $"{Number(statistics.Mean)} ± {Number(statistics.StandardDeviation)}";
    }

    private static void AppendPooled(StringBuilder text, RunSummary summary)
    {
        var last = PooledMetrics.Combine(summary.Folds.Select(fold => fold.LastEpoch).ToArray());
        var selected = AllFoldsValidationSelected(summary)
            ? PooledMetrics.Combine(summary.Folds.Select(fold => fold.ValidationSelected!).ToArray())
            : null;

        text.Append("## Pooled over folds\n\n");
        text.Append(CultureInfo.InvariantCulture, $"All folds' test windows together ");
        text.Append(CultureInfo.InvariantCulture, $"({last.Count} windows): ");
        text.Append("the confusion matrices are summed and the metrics computed from the sum.\n\n");
        text.Append("| Metric | Validation-selected | Last epoch |\n|---|--:|--:|\n");
        AppendRow(text, "Accuracy", Number(selected?.Accuracy), Number(last.Accuracy));
        AppendRow(text, "Macro-F1", Number(selected?.MacroF1), Number(last.MacroF1));
        AppendRow(text, "Cohen's kappa", Number(selected?.CohenKappa), Number(last.CohenKappa));
        text.Append('\n');

        if (selected is not null)
        {
            AppendConfusionMatrix(text, "validation-selected", selected, summary.ClassLabels);
        }

        AppendConfusionMatrix(text, "last epoch", last, summary.ClassLabels);
    }

    private static void AppendConfusionMatrix(
        StringBuilder text,
        string model,
        ClassificationMetrics metrics,
        IReadOnlyList<string> labels)
    {
        text.Append(CultureInfo.InvariantCulture, $"### Pooled confusion matrix, {model}\n\n");
        text.Append("Rows are true classes and columns predicted classes. ");
        text.Append("Each cell gives the count and its share of the row.\n\n");
        text.Append("| True \\ Predicted |");
        foreach (var label in labels)
        {
            text.Append(CultureInfo.InvariantCulture, $" {Escape(label)} |");
        }

        text.Append(" Total |\n|---|");
        text.Append(string.Concat(Enumerable.Repeat("--:|", labels.Count + 1)));
        text.Append('\n');
        for (var t = 0; t < labels.Count; t++)
        {
            var row = metrics.ConfusionMatrix[t];
            var total = row.Sum();
            text.Append(CultureInfo.InvariantCulture, $"| {Escape(labels[t])} |");
            foreach (var count in row)
            {
                var share = total == 0
                    ? "—"
                    : (100.0 * count / total).ToString("F1", CultureInfo.InvariantCulture) + " %";
                text.Append(CultureInfo.InvariantCulture, $" {count} ({share}) |");
            }

            text.Append(CultureInfo.InvariantCulture, $" {total} |\n");
        }

        text.Append('\n');
    }

    private static void AppendFigures(StringBuilder text, IReadOnlyList<ReportFigure> figures)
    {
        if (figures.Count == 0)
        {
            return;
        }

        text.Append("## Figures\n\n");
        foreach (var figure in figures)
        {
            var target = Uri.EscapeDataString(figure.FileName);
            text.Append(CultureInfo.InvariantCulture, $"![{Escape(figure.Caption)}]({target})\n\n");
        }
    }

    private static void AppendNotes(StringBuilder text, string[] notes)
    {
        if (notes.Length == 0)
        {
            return;
        }

        text.Append("## Notes\n\n");
        foreach (var note in notes)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {note}\n");
        }

        text.Append('\n');
    }

    private static IEnumerable<string> HistoryNotes(RunSummary summary)
    {
        foreach (var fold in summary.Folds)
        {
            if (fold.History.Count == 0)
            {
                yield return $"Fold {fold.Name}: no epoch history was recorded, "
                    + "so its learning curves are empty.";
                continue;
            }

            var broken = fold.History
                .Where(epoch => !epoch.IsFinite)
                .Select(epoch => epoch.Epoch)
                .ToArray();
            if (broken.Length > 0)
            {
                yield return $"Fold {fold.Name}: epochs {string.Join(", ", broken)} have a non-finite "
                    + "loss or accuracy, which the learning curves leave out.";
            }
        }
    }

    private static void AppendRow(StringBuilder text, params string[] cells)
    {
        text.Append("| ").AppendJoin(" | ", cells).Append(" |\n");
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    // Keeps table cells intact: a pipe would end the cell and a newline the row.
    private static string Escape(string value)
    {
        return value.Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("\r", " ", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal);
    }
}
