using System.Globalization;
using System.Text.Json;
using SsdEdge.Contracts;
using SsdEdge.Trainer.Reporting;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Runs;

/// <summary>Files that training and distillation runs write the same way once every fold is done.</summary>
internal static class RunFiles
{
    /// <summary>Copies a one-fold run's model.bin and model-last.bin to the top of the run directory.</summary>
    public static void PromoteSingleFold(RunLayout layout, IReadOnlyList<FoldOutcome> outcomes)
    {
        if (outcomes.Count != 1)
        {
            return;
        }

        var only = layout.Fold(outcomes[0].Info.Name);
        CopyCheckpoint(only.ModelFile, layout.ModelFile);
        CopyCheckpoint(only.LastModelFile, layout.LastModelFile);
    }

    /// <summary>
    /// Writes the run-level files of a finished training run: the top-level model of a one-fold
    /// run, contract.json, run.json and the results. Both <c>train</c> and <c>merge</c> end here,
    /// so a merged run has the files a single-process run writes.
    /// </summary>
    public static void WriteRun(
        RunLayout layout,
        SignalContract contract,
        RunInfo info,
        string splitPlan,
        IReadOnlyList<string> classLabels,
        IReadOnlyList<FoldOutcome> outcomes,
        TextWriter output)
    {
        PromoteSingleFold(layout, outcomes);
        File.WriteAllText(layout.ContractFile, SignalContractJson.Serialize(contract));
        File.WriteAllText(layout.RunFile, JsonSerializer.Serialize(info, SignalContractJson.Options));
        WriteResults(layout, info, splitPlan, classLabels, outcomes, output);
    }

    /// <summary>
    /// Writes report.json, history.csv, report.md and the plots, then prints the pooled figures
    /// and the run directory to <paramref name="output"/>.
    /// </summary>
    public static void WriteResults(
        RunLayout layout,
        RunInfo info,
        string splitPlan,
        IReadOnlyList<string> classLabels,
        IReadOnlyList<FoldOutcome> outcomes,
        TextWriter output)
    {
        var report = TrainingReport.Create(info, classLabels, outcomes);
        File.WriteAllText(layout.ReportFile, JsonSerializer.Serialize(report, TrainingReport.JsonOptions));
        File.WriteAllText(layout.HistoryFile, RunText.FormatHistory(outcomes));
        var summary = RunText.CreateSummary(info, splitPlan, classLabels, outcomes);
        var reportFiles = RunReportWriter.Write(summary, layout.Directory);
        foreach (var warning in reportFiles.Warnings)
        {
            output.WriteLine($"warning: {warning}");
        }

        output.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"test over {outcomes.Count} fold(s), pooled: accuracy {report.Accuracy:F3}, "
                + $"macro-F1 {report.MacroF1:F3}, kappa {report.Kappa:F3}"));
        output.WriteLine($"run written to {layout.Directory}");
    }

    private static void CopyCheckpoint(string from, string to)
    {
        File.Copy(from, to, overwrite: true);
        File.Copy(ModelCheckpoint.SidecarPath(from), ModelCheckpoint.SidecarPath(to), overwrite: true);
    }
}
