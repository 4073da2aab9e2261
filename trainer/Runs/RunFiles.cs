using System.Globalization;
using System.Security.Cryptography;
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
    /// Checks that a one-fold run's top-level copy of <paramref name="foldFile"/> (model.bin or
    /// model-last.bin, by file name) has the same SHA-256 as the fold's file, which export and
    /// predict read. Returns a warning naming both files when the copy is missing or differs,
    /// and null when it matches or the run has more than one fold (and so no top-level copies).
    /// </summary>
    public static string? CheckTopLevelCopy(RunLayout layout, RunInfo info, string foldFile)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(info);
        if (info.Folds.Count != 1 || !File.Exists(foldFile))
        {
            return null;
        }

        var copy = Path.Combine(layout.Directory, Path.GetFileName(foldFile));
        if (!File.Exists(copy))
        {
            return $"{copy} is missing; this command uses {foldFile}. A one-fold run keeps a copy at "
                + $"the top for other tools, so copy {foldFile} there.";
        }

        if (HashOf(copy).SequenceEqual(HashOf(foldFile)))
        {
            return null;
        }

        return $"{copy} differs from {foldFile}, which this command uses, so the top-level copy is "
            + $"damaged or stale. Replace it with a copy of {foldFile}.";
    }

    private static byte[] HashOf(string path)
    {
        using var stream = File.OpenRead(path);
        return SHA256.HashData(stream);
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
