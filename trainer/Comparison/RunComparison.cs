using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ScottPlot;
using SsdEdge.Trainer.Runs;

namespace SsdEdge.Trainer.Comparison;

/// <summary>
/// Lays finished runs side by side: mean ± standard deviation over folds, pooled figures, and the
/// per-fold differences of each run against the first with a paired t-test. The runs must share
/// their fold names, as a student distilled from a teacher run does.
/// </summary>
public static class RunComparison
{
    // A test over fewer than two folds has no t or p-value: NaN, written as the string "NaN". An
    // undefined SD is written as null rather than left out, so readers see that it is undefined.
    private static readonly JsonSerializerOptions JsonOptions = new(TrainingReport.JsonOptions)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Compares <paramref name="runDirectories"/>; writes compare.md, compare.json and compare.png.</summary>
    /// <exception cref="ArgumentException">Fewer than two runs, or runs whose folds differ.</exception>
    public static ComparisonResult Execute(IReadOnlyList<string> runDirectories, string outDir, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(runDirectories);
        ArgumentNullException.ThrowIfNull(output);
        if (runDirectories.Count < 2)
        {
            throw new ArgumentException("compare needs at least two runs (--runs A,B).");
        }

        var reports = runDirectories
            .Select(directory => ReadReport(RunLayout.Open(directory)))
            .ToArray();
        var baseline = reports[0];
        var folds = baseline.Folds.Select(fold => fold.Name).ToArray();
        foreach (var report in reports.Skip(1))
        {
            var names = report.Folds.Select(fold => fold.Name).ToArray();
            var sameFolds = names.Order(StringComparer.Ordinal)
                .SequenceEqual(folds.Order(StringComparer.Ordinal), StringComparer.Ordinal);
            if (!sameFolds)
            {
                throw new ArgumentException(
                    $"Runs '{baseline.RunId}' and '{report.RunId}' have different folds "
                    + $"({string.Join(", ", folds.Take(4))} vs {string.Join(", ", names.Take(4))}); compare runs "
                    + "made on the same fold plan, such as a teacher and its distilled student.");
            }
        }

        var rows = reports.Select(report => new ComparedRun(
            report.RunId,
            report.Mean,
            // A sample SD needs two folds; the report stores 0 for one fold, which reads as no spread.
            folds.Length < 2 ? null : report.Std,
            new MetricSummary(report.Accuracy, report.MacroF1, report.Kappa),
            report == baseline ? null : Paired(baseline, report, fold => fold.Accuracy),
            report == baseline ? null : Paired(baseline, report, fold => fold.MacroF1))).ToArray();
        var result = new ComparisonResult(baseline.RunId, folds.Length, rows);

        Directory.CreateDirectory(outDir);
        var json = JsonSerializer.Serialize(result, JsonOptions);
        File.WriteAllText(Path.Combine(outDir, "compare.json"), json);
        File.WriteAllText(Path.Combine(outDir, "compare.md"), FormatMarkdown(result));
        SaveChart(result, Path.Combine(outDir, "compare.png"));
        output.WriteLine(
            $"compared {rows.Length} runs over {folds.Length} fold(s); written to {Path.GetFullPath(outDir)}");
        return result;
    }

    private static TrainingReport ReadReport(RunLayout layout)
    {
        try
        {
            var text = File.ReadAllText(layout.ReportFile);
            return JsonSerializer.Deserialize<TrainingReport>(text, TrainingReport.JsonOptions)
                ?? throw new InvalidDataException($"{layout.ReportFile} is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{layout.ReportFile} is not a valid report: {ex.Message}", ex);
        }
    }

    private static PairedTTest Paired(TrainingReport baseline, TrainingReport other, Func<FoldReport, double> metric)
    {
        var byName = other.Folds.ToDictionary(fold => fold.Name, StringComparer.Ordinal);
        var differences = baseline.Folds.Select(fold => metric(byName[fold.Name]) - metric(fold)).ToArray();
        return PairedTTest.Of(differences);
    }

    private static string FormatMarkdown(ComparisonResult result)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Comparison over {result.Folds} fold(s)");
        text.AppendLine();
        text.AppendLine(
            "Figures of each fold's validation-selected model (or last epoch without validation subjects).");
        text.AppendLine(
            CultureInfo.InvariantCulture,
            $"Differences are each run minus `{result.BaselineRunId}`, paired by fold, with a two-sided paired t-test.");
        if (result.Folds < 2)
        {
            text.AppendLine(
                "With one fold the standard deviation over folds is undefined, so it reads n/a, and the "
                + "t-test has no p-value.");
        }
        text.AppendLine();
        text.Append("| Run | Accuracy (mean ± SD) | Macro-F1 (mean ± SD) | Pooled accuracy | Pooled macro-F1 ");
        text.AppendLine("| Δ accuracy | p | Δ macro-F1 | p |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var run in result.Runs)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {run.RunId} | {run.Mean.Accuracy:F3} ± {Spread(run.Std?.Accuracy)} ");
            text.Append(CultureInfo.InvariantCulture, $"| {run.Mean.MacroF1:F3} ± {Spread(run.Std?.MacroF1)} ");
            text.Append(CultureInfo.InvariantCulture, $"| {run.Pooled.Accuracy:F3} | {run.Pooled.MacroF1:F3} ");
            text.Append(CultureInfo.InvariantCulture, $"| {Signed(run.Accuracy?.MeanDifference)} ");
            text.Append(CultureInfo.InvariantCulture, $"| {Number(run.Accuracy?.PValue)} ");
            text.Append(CultureInfo.InvariantCulture, $"| {Signed(run.MacroF1?.MeanDifference)} ");
            text.AppendLine(CultureInfo.InvariantCulture, $"| {Number(run.MacroF1?.PValue)} |");
        }

        return text.ToString();
    }

    private static string Spread(double? value) =>
        value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";

    private static string Signed(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture) : "–";

    private static string Number(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    private static void SaveChart(ComparisonResult result, string path)
    {
        var plot = new Plot();
        SsdEdge.Trainer.Reporting.PlotStyle.Apply(plot);
        plot.Title($"Test accuracy, {result.Folds} fold(s)\nbars: mean ± SD over folds; dots: pooled");
        for (var i = 0; i < result.Runs.Count; i++)
        {
            var run = result.Runs[i];
            plot.Add.Bar(position: i, value: run.Mean.Accuracy, error: run.Std?.Accuracy ?? 0);
            var marker = plot.Add.Marker(i, run.Pooled.Accuracy);
            marker.Color = Colors.Black;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, result.Runs.Count).Select(i => (double)i).ToArray(),
            result.Runs.Select(run => run.RunId).ToArray());
        plot.Axes.SetLimitsY(0, 1);
        plot.YLabel("Test accuracy");
        plot.SavePng(path, Math.Max(500, 220 * result.Runs.Count), 480);
    }
}

/// <summary>Result of <see cref="RunComparison"/>.</summary>
/// <param name="BaselineRunId">Run the differences are taken against.</param>
/// <param name="Folds">Folds shared by the runs.</param>
/// <param name="Runs">One entry per run, the baseline first.</param>
public sealed record ComparisonResult(string BaselineRunId, int Folds, IReadOnlyList<ComparedRun> Runs);

/// <summary>One run's figures in a comparison.</summary>
/// <param name="RunId">Run identifier.</param>
/// <param name="Mean">Mean over folds.</param>
/// <param name="Std">Sample standard deviation over folds; null with one fold, where it is undefined.</param>
/// <param name="Pooled">Figures over every fold's test windows together.</param>
/// <param name="Accuracy">Paired test of per-fold accuracy against the baseline, or null for the baseline.</param>
/// <param name="MacroF1">Paired test of per-fold macro-F1 against the baseline, or null for the baseline.</param>
public sealed record ComparedRun(
    string RunId,
    MetricSummary Mean,
    MetricSummary? Std,
    MetricSummary Pooled,
    PairedTTest? Accuracy,
    PairedTTest? MacroF1);
