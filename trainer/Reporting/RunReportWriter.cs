using System.Globalization;
using System.Text;
using SsdEdge.Trainer.Evaluation;

namespace SsdEdge.Trainer.Reporting;

/// <summary>
/// Writes the human-readable report of a finished run into its directory: <c>report.md</c>,
/// <c>learning-curves.png</c> for all folds, <c>learning-curves-FOLD.png</c> per fold when there
/// are few folds, and the pooled test confusion matrices <c>confusion-matrix.png</c> (the
/// validation-selected model when every fold has one, else the last epoch) and
/// <c>confusion-matrix-last-epoch.png</c> (only next to a validation-selected one).
/// </summary>
public static class RunReportWriter
{
    /// <summary>File name of the Markdown report.</summary>
    public const string ReportFileName = "report.md";

    /// <summary>Writes the report and its figures into <paramref name="directory"/>.</summary>
    /// <param name="summary">The finished run.</param>
    /// <param name="directory">Run directory; created when missing, existing files are replaced.</param>
    /// <param name="options">Report settings; defaults when null.</param>
    /// <returns>The files written and any figure that failed.</returns>
    /// <exception cref="ArgumentException">The summary fails <see cref="RunSummary.Validate"/>.</exception>
    /// <remarks>
    /// A figure that fails with a native-library or file-system error (for example when the
    /// SkiaSharp native library cannot load) is listed in the report's notes and in
    /// <see cref="RunReportFiles.Warnings"/>, and <c>report.md</c> is still written. Figures
    /// rendered on a machine without fonts lack their labels, which is reported the same way.
    /// </remarks>
    public static RunReportFiles Write(RunSummary summary, string directory, ReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new ReportOptions();
        summary.Validate();

        Directory.CreateDirectory(directory);
        var figures = new List<ReportFigure>();
        var warnings = new List<string>();
        if (options.RenderFigures)
        {
            foreach (var (figure, render) in PlanFigures(summary, options))
            {
                var path = Path.Combine(directory, figure.FileName);
                try
                {
                    render(path);
                    figures.Add(figure);
                }
                catch (Exception exception) when (IsRenderingFailure(exception))
                {
                    warnings.Add($"Figure {figure.FileName} was not rendered: {exception.Message}");
                }
            }
        }

        if (figures.Count > 0 && !PlotStyle.CanDrawText)
        {
            warnings.Add(
                "The figures have no text because no usable font is installed. Install a TrueType "
                + "font (for example the Debian package fonts-dejavu-core) for labelled figures.");
        }

        var reportFile = Path.GetFullPath(Path.Combine(directory, ReportFileName));
        var markdown = RunReportMarkdown.Format(summary, figures, warnings);
        File.WriteAllText(reportFile, markdown, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        var paths = figures
            .Select(figure => Path.GetFullPath(Path.Combine(directory, figure.FileName)))
            .ToArray();
        return new RunReportFiles(reportFile, paths, warnings);
    }

    /// <summary>Returns a file-name-safe form of a fold name: letters, digits, '-', '_' and '.'.</summary>
    public static string FileNamePart(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var safe = new StringBuilder(name.Length);
        foreach (var character in name)
        {
            var allowed = char.IsAsciiLetterOrDigit(character) || character is '-' or '_' or '.';
            safe.Append(allowed ? character : '_');
        }

        return safe.Length == 0 ? "fold" : safe.ToString();
    }

    private static IEnumerable<(ReportFigure Figure, Action<string> Render)> PlanFigures(
        RunSummary summary,
        ReportOptions options)
    {
        var folds = summary.Folds;
        var allFolds = folds.Count == 1 ? folds[0].Name : $"{folds.Count} folds";
        yield return (
            new ReportFigure("learning-curves.png", $"Learning curves, {allFolds}"),
            path => LearningCurvePlot.Save(folds, $"Learning curves, {allFolds}", path));

        if (folds.Count > 1 && folds.Count <= options.MaxPerFoldFigures)
        {
            // Distinct fold names can map to one file name ("a b", "a_b"); number the repeats.
            var fileNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var f = 0; f < folds.Count; f++)
            {
                var fold = folds[f];
                var fileName = $"learning-curves-{FileNamePart(fold.Name)}.png";
                if (!fileNames.Add(fileName))
                {
                    fileName = $"learning-curves-{FileNamePart(fold.Name)}-{f + 1}.png";
                    fileNames.Add(fileName);
                }

                var title = $"Learning curves, {fold.Name}";
                yield return (
                    new ReportFigure(fileName, title),
                    path => LearningCurvePlot.Save([fold], title, path));
            }
        }

        var labels = summary.ClassLabels;
        var last = PooledMetrics.Combine(folds.Select(fold => fold.LastEpoch).ToArray());
        var extent = $"{allFolds}, {last.Count.ToString(CultureInfo.InvariantCulture)} windows";
        if (RunReportMarkdown.AllFoldsValidationSelected(summary))
        {
            var selected = PooledMetrics.Combine(folds.Select(fold => fold.ValidationSelected!).ToArray());
            yield return ConfusionFigure(
                "confusion-matrix.png", "validation-selected", extent, selected, labels);
            yield return ConfusionFigure(
                "confusion-matrix-last-epoch.png", "last epoch", extent, last, labels);
        }
        else
        {
            yield return ConfusionFigure("confusion-matrix.png", "last epoch", extent, last, labels);
        }
    }

    private static (ReportFigure Figure, Action<string> Render) ConfusionFigure(
        string fileName,
        string model,
        string extent,
        ClassificationMetrics pooled,
        IReadOnlyList<string> labels)
    {
        var title = $"Pooled test confusion matrix, {model}";
        return (
            new ReportFigure(fileName, $"{title} ({extent})"),
            path => ConfusionMatrixPlot.Save(pooled.ConfusionMatrix, labels, $"{title}\n{extent}", path));
    }

    // Native loading and file-system failures; programming errors still propagate.
    private static bool IsRenderingFailure(Exception exception)
    {
        return exception is DllNotFoundException
            or TypeInitializationException
            or EntryPointNotFoundException
            or IOException
            or UnauthorizedAccessException;
    }
}
