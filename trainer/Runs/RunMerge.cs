using System.Globalization;
using System.Text;

namespace SsdEdge.Trainer.Runs;

/// <summary>
/// Assembles a training or distillation run from the part files its folds wrote, possibly from
/// separate jobs. It checks that every fold of the plan is there and that all were trained under
/// the same settings, data and (for distillation) teacher run. Then it writes run.json, contract.json, report.json, report.md, history.csv and the
/// plots as a single-process run writes them. Merging again rewrites the same files.
/// </summary>
public static class RunMerge
{
    // Part-file paths of the settings that one train option sets.
    private static readonly Dictionary<string, string> TrainOptions = new(StringComparer.Ordinal)
    {
        ["source"] = "--data",
        ["foldPlan"] = "--folds",
        ["testSubjects"] = "--test-subjects",
        ["testFraction"] = "--test-fraction",
        ["validationFraction"] = "--validation-fraction",
        ["training.epochs"] = "--epochs",
        ["training.batchSize"] = "--batch-size",
        ["training.learningRate"] = "--learning-rate",
        ["training.weightDecay"] = "--weight-decay",
        ["training.seed"] = "--seed",
        ["training.learningRateSchedule"] = "--lr-schedule",
    };

    /// <summary>Merges the parts under <paramref name="directory"/> and returns the run's layout.</summary>
    /// <param name="directory">The run directory that the fold jobs wrote into.</param>
    /// <param name="output">Receives the pooled results and the run directory.</param>
    /// <exception cref="DirectoryNotFoundException">The directory or its <c>folds</c> folder is missing.</exception>
    /// <exception cref="InvalidDataException">A part file is unreadable or incomplete.</exception>
    /// <exception cref="InvalidOperationException">A fold is missing, or parts differ in run id,
    /// plan, settings or data.</exception>
    public static RunLayout Execute(string directory, TextWriter output)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(output);
        var layout = new RunLayout(Path.GetFullPath(directory));
        var parts = ReadParts(layout);

        // The part with the lowest fold number is the reference the others must match.
        var reference = parts.MinBy(part => part.FoldNumber)!;
        foreach (var part in parts)
        {
            CheckMatches(layout, reference, part);
        }

        ThrowIfFoldMissing(layout, reference, parts);
        var outcomes = parts.OrderBy(part => part.FoldNumber).Select(part => part.Outcome).ToArray();

        // Run files, dated by the first fold that finished.
        var created = parts.Min(part => part.CreatedUtc);
        output.WriteLine($"merging {parts.Count} fold(s) of run {reference.RunId}");
        if (reference.Kind == RunPart.DistillKind)
        {
            Distillation.DistillationRun.WriteRun(
                layout,
                reference.Contract with { CreatedUtc = created },
                reference.RunId,
                reference.Settings,
                created,
                outcomes,
                output);
            return layout;
        }

        var info = TrainingRun.CreateRunInfo(reference.RunId, reference.Settings, created, outcomes);
        RunFiles.WriteRun(
            layout,
            reference.Contract with { CreatedUtc = created },
            info,
            TrainingRun.DescribePlan(info),
            reference.Settings.ClassLabels,
            outcomes,
            output);
        return layout;
    }

    private static List<RunPart> ReadParts(RunLayout layout)
    {
        if (!Directory.Exists(layout.Directory))
        {
            throw new DirectoryNotFoundException(
                $"Run directory {layout.Directory} does not exist; pass the directory that the fold jobs "
                + "wrote into (--runs-dir joined with --run-id).");
        }

        if (!Directory.Exists(layout.FoldsDirectory))
        {
            throw new DirectoryNotFoundException(
                $"{layout.Directory} has no folds folder, so no fold was trained into it; run "
                + "`ssdedge-trainer train --fold K` (or `distill --fold K`) for each fold first.");
        }

        var parts = new List<RunPart>();
        foreach (var foldDirectory in Directory.GetDirectories(layout.FoldsDirectory).Order(StringComparer.Ordinal))
        {
            var foldLayout = new RunLayout(foldDirectory);
            if (!File.Exists(foldLayout.PartFile))
            {
                continue;
            }

            var part = RunPart.Read(foldLayout.PartFile);
            var folderName = Path.GetFileName(foldDirectory);
            if (part.Outcome.Info.Name != folderName)
            {
                throw new InvalidDataException(
                    $"{foldLayout.PartFile} describes fold {part.Outcome.Info.Name}, not {folderName}; "
                    + "fold folders must not be renamed or copied between runs.");
            }

            parts.Add(part);
        }

        if (parts.Count == 0)
        {
            throw new InvalidOperationException(
                $"{layout.FoldsDirectory} contains no finished fold (no folds/NAME/part.json); run "
                + "`ssdedge-trainer train --fold K` (or `distill --fold K`) for each fold, then merge.");
        }

        return parts;
    }

    private static void CheckMatches(RunLayout layout, RunPart reference, RunPart part)
    {
        var name = part.Outcome.Info.Name;
        var referenceName = reference.Outcome.Info.Name;
        if (part.Kind != reference.Kind)
        {
            throw new InvalidOperationException(
                $"Fold {name} was written by '{part.Kind}' but fold {referenceName} by '{reference.Kind}'; "
                + "a run's folds all come from train or all from distill.");
        }

        if (part.RunId != reference.RunId)
        {
            throw new InvalidOperationException(
                $"Fold {name} belongs to run '{part.RunId}' but fold {referenceName} to run "
                + $"'{reference.RunId}'; every fold job of one run needs the same --run-id.");
        }

        if (!part.PlanFolds.SequenceEqual(reference.PlanFolds, StringComparer.Ordinal)
            || part.PlanFolds[part.FoldNumber - 1] != name)
        {
            throw new InvalidOperationException(
                $"Fold {name} was trained under a fold plan with folds {Abbreviate(part.PlanFolds)}, "
                + $"but fold {referenceName} under one with folds {Abbreviate(reference.PlanFolds)}; "
                + "train every fold with the same --data, --folds and --seed.");
        }

        var differences = RunPart.Compare(reference.Settings, part.Settings);
        if (differences.Count > 0)
        {
            var foldDirectory = Path.Combine(layout.FoldsDirectory, name);
            var text = new StringBuilder(
                $"Fold {name} was trained with other settings than fold {referenceName}, so they do not "
                + "form one run:");
            var described = differences.Select(difference =>
                $"{difference.Path} is {difference.Other} in fold {name} but {difference.Reference} in fold {referenceName}");
            text.Append(CultureInfo.InvariantCulture, $" {string.Join("; ", described)}.");

            // The fold's folder holds its training checkpoint, which a retrain with other settings
            // rejects (with or without --resume), so the folder has to go first.
            var settings = string.Join(" ", differences.Select(DescribeReferenceSetting));
            text.Append(
                CultureInfo.InvariantCulture,
                $" To retrain fold {name}, delete its folder {foldDirectory}, then run the same "
                + $"`ssdedge-trainer train` command as for the other folds with --fold {part.FoldNumber} and "
                + $"{settings}; then merge again.");
            throw new InvalidOperationException(text.ToString());
        }
    }

    private static void ThrowIfFoldMissing(RunLayout layout, RunPart reference, List<RunPart> parts)
    {
        var present = parts.Select(part => part.Outcome.Info.Name).ToHashSet(StringComparer.Ordinal);
        var missing = reference.PlanFolds
            .Select((name, index) => (Name: name, Number: index + 1))
            .Where(fold => !present.Contains(fold.Name))
            .ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        var names = missing
            .Select(fold => string.Create(CultureInfo.InvariantCulture, $"{fold.Name} (--fold {fold.Number})"))
            .ToArray();
        throw new InvalidOperationException(
            $"Run {reference.RunId} is missing {missing.Length} of {reference.PlanFolds.Count} folds: "
            + $"{Abbreviate(names)}. A fold counts as done once folds/NAME/part.json exists under "
            + $"{layout.Directory}; train the missing folds, then merge again.");
    }

    // A differing setting as the train option that sets it to the reference fold's value, or as
    // its part-file path when no single option sets it (the model shape, the data digest).
    private static string DescribeReferenceSetting(SettingDifference difference)
    {
        var value = difference.Reference.Trim('"');
        if (difference.Path == "training.amsGrad")
        {
            return value == "false" ? "--no-amsgrad" : "without --no-amsgrad";
        }

        return TrainOptions.TryGetValue(difference.Path, out var option)
            ? $"{option} {value}"
            : $"{difference.Path} = {difference.Reference}";
    }

    private static string Abbreviate(IReadOnlyList<string> names) =>
        names.Count <= 10
            ? string.Join(", ", names)
            : string.Join(", ", names.Take(10)) + $" and {names.Count - 10} more";
}
