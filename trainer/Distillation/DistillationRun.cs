using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SsdEdge.Contracts;
using SsdEdge.Datasets;
using SsdEdge.Trainer.Cli;
using SsdEdge.Trainer.Evaluation;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Reporting;
using SsdEdge.Trainer.Runs;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Distillation;

/// <summary>
/// Distils a student for every fold of a teacher run (or for one, see <see cref="DistillRequest.Fold"/>),
/// on the same subjects, and writes a run
/// directory with the layout of <see cref="TrainingRun"/>: run.json (with <c>teacherRunId</c> and
/// the distillation settings), contract.json (with <c>teacher_run_id</c>), report.json,
/// report.md, history.csv and per fold <c>folds/NAME/model.bin</c>, <c>model-last.bin</c>,
/// <c>part.json</c> (kind <c>distill</c>) and the training checkpoint, from which <see cref="TrainingOptions.Resume"/> continues.
/// </summary>
public static class DistillationRun
{
    /// <summary>Runs the request and returns the layout of the student's run directory.</summary>
    /// <param name="request">Teacher run, output place and settings.</param>
    /// <param name="output">Receives progress and results.</param>
    /// <param name="interactive">Whether <paramref name="output"/> is a terminal, so the progress
    /// bar redraws one line; otherwise it writes one line per epoch.</param>
    /// <exception cref="ArgumentException">A setting is invalid, or the teacher run's subjects are
    /// missing from its data source.</exception>
    /// <exception cref="DirectoryNotFoundException">The teacher run does not exist.</exception>
    /// <exception cref="InvalidOperationException">The student run exists already, or training
    /// failed (identical teacher passes, a diverging loss). When no fold was written and the run
    /// directory, created by this call, contains no files, the directory is removed first.</exception>
    public static RunLayout Execute(DistillRequest request, TextWriter output, bool interactive = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        // Each fold checkpoints into its own folder, set below; validate with a stand-in folder.
        (request.Options with
        {
            Training = request.Options.Training with { CheckpointDirectory = request.RunsDirectory },
        }).Validate();
        TrainingDevice.Resolve(request.Options.Training.Device);

        // Teacher run and its data, prepared as the teacher saw it.
        var teacher = TeacherRunFolds.Open(ResolveTeacher(request), foldOnly: request.Fold is not null);
        var prepared = DataPreparation.Prepare(teacher.Source, line => output.WriteLine(line));
        var data = prepared.Windows;
        var options = request.Options;
        var settings = new RunPartSettings(
            teacher.Source,
            teacher.FoldPlan,
            [],
            0,
            0,
            teacher.Model,
            TrainingSettings.From(options.Training),
            data.ClassLabels,
            RunPartSettings.DigestOf(data),
            ProducerInfo.Version)
        {
            Distillation = DistillationSettings.From(teacher.RunId, options),
        };
        var selected = request.Fold is null
            ? Enumerable.Range(0, teacher.PlanFolds.Count).ToArray()
            : [FoldSelection.SelectNumber(teacher.PlanFolds, request.Fold, $"Teacher run '{teacher.RunId}'") - 1];
        var folds = selected
            .Select(index => RebuildFold(teacher.Fold(teacher.PlanFolds[index]), data, teacher))
            .ToArray();

        var runId = request.RunId ?? (request.Fold is null
            ? $"{teacher.RunId}-ssd-{DateTime.UtcNow:yyyyMMdd-HHmmss}"
            : $"{teacher.RunId}-ssd-{TrainingRun.SettingsDigest(settings)}");
        CheckRunId(runId);
        var layout = new RunLayout(Path.GetFullPath(Path.Combine(request.RunsDirectory, runId)));
        CheckRunDirectory(request, layout, runId);
        var createdRunDirectory = !Directory.Exists(layout.Directory);
        Directory.CreateDirectory(layout.Directory);
        var contract = prepared.Contract with
        {
            RunId = runId,
            ModelId = runId,
            TeacherRunId = teacher.RunId,
            ProducerVersion = ProducerInfo.Version,
        };

        // One student per fold, against that fold's teacher, each fold's part written as soon as
        // the fold is done.
        var outcomes = new List<FoldOutcome>();
        var progress = new ProgressBar(output, interactive);
        string? currentFold = null;
        try
        {
            for (var index = 0; index < folds.Length; index++)
            {
                var number = selected[index] + 1;
                var name = folds[index].Name;
                progress.WriteLine($"fold {number}/{teacher.PlanFolds.Count} ({name})");
                var foldLayout = layout.Fold(name);
                currentFold = foldLayout.Directory;
                var outcome = DistilFold(
                    folds[index],
                    teacher.Layout.Fold(name).ModelFile,
                    options,
                    foldLayout,
                    progress);
                outcomes.Add(outcome);
                var finished = DateTimeOffset.UtcNow;
                new RunPart
                {
                    Kind = RunPart.DistillKind,
                    RunId = runId,
                    FoldNumber = number,
                    PlanFolds = teacher.PlanFolds,
                    Settings = settings,
                    Contract = contract with { CreatedUtc = finished },
                    CreatedUtc = finished,
                    Outcome = outcome,
                }.Write(foldLayout.PartFile);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            progress.Complete();
            if (createdRunDirectory && outcomes.Count == 0 && TryRemoveEmpty(layout.Directory, currentFold))
            {
                throw new InvalidOperationException(
                    $"{ex.Message} No fold was written, so the run directory {layout.Directory} was removed.",
                    ex);
            }

            throw new InvalidOperationException(
                $"{ex.Message} The run directory {layout.Directory} is incomplete; continue it with "
                + "--resume and the same --run-id, or delete it before distilling again under that --run-id.",
                ex);
        }

        progress.Complete();
        if (request.Fold is not null)
        {
            var name = folds[0].Name;
            output.WriteLine($"fold {name} written to {layout.Fold(name).Directory}");
            output.WriteLine(
                $"run {runId} has {teacher.PlanFolds.Count} fold(s); once every fold is written, run: "
                + $"ssdedge-trainer merge {layout.Directory}");
            return layout;
        }

        // Run files, from the outcomes exactly as merge assembles them from the parts.
        var created = DateTimeOffset.UtcNow;
        WriteRun(layout, contract with { CreatedUtc = created }, runId, settings, created, outcomes, output);
        return layout;
    }

    /// <summary>
    /// Writes the run files of a distilled run: run.json (with <c>teacherRunId</c> and the
    /// distillation settings), contract.json, report.json, report.md, history.csv and the plots.
    /// <paramref name="settings"/>, shared by the folds, must carry <see cref="RunPartSettings.Distillation"/>.
    /// </summary>
    internal static void WriteRun(
        RunLayout layout,
        SignalContract contract,
        string runId,
        RunPartSettings settings,
        DateTimeOffset createdUtc,
        IReadOnlyList<FoldOutcome> outcomes,
        TextWriter output)
    {
        var distillation = settings.Distillation
            ?? throw new ArgumentException("The settings of a distilled run lack the distillation settings.", nameof(settings));
        RunFiles.PromoteSingleFold(layout, outcomes);
        File.WriteAllText(layout.ContractFile, SignalContractJson.Serialize(contract));
        var info = TrainingRun.CreateRunInfo(runId, settings, createdUtc, outcomes);
        File.WriteAllText(layout.RunFile, SerializeRunInfo(info, distillation));

        // history.csv: train_loss is the whole distillation objective; validation_loss is the cross-entropy.
        var splitPlan = DistillationRunText.DescribeSplitPlan(info, distillation.TeacherRunId);
        RunFiles.WriteResults(layout, info, splitPlan, settings.ClassLabels, outcomes, output);
    }

    // The run directory must not hold a finished run unless resumed; a fold job's first attempt
    // may find no directory even with --resume.
    private static void CheckRunDirectory(DistillRequest request, RunLayout layout, string runId)
    {
        var resume = request.Options.Training.Resume;
        if (resume && request.Fold is null && !Directory.Exists(layout.Directory))
        {
            throw new ArgumentException(
                $"--resume found no run '{runId}' under {Path.GetFullPath(request.RunsDirectory)}; "
                + "check --run-id and --runs-dir.");
        }

        if (!resume && request.Fold is null && File.Exists(layout.RunFile))
        {
            throw new InvalidOperationException(
                $"Run directory {layout.Directory} already contains a run; choose another --run-id, or add "
                + "--resume to continue it.");
        }
    }

    // Removes the run directory this invocation created, with the folder of the fold it failed in
    // and the folders between, when none contains anything: no checkpoint to resume from and no
    // other fold job's files. Each folder is deleted without recursion, so a file keeps it.
    private static bool TryRemoveEmpty(string runDirectory, string? foldDirectory)
    {
        try
        {
            var inside = runDirectory + Path.DirectorySeparatorChar;
            var folder = foldDirectory;
            while (folder is not null && folder.StartsWith(inside, StringComparison.Ordinal))
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: false);
                }

                folder = Path.GetDirectoryName(folder);
            }

            Directory.Delete(runDirectory, recursive: false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static FoldOutcome DistilFold(
        SubjectFold fold,
        string teacherFile,
        DistillationOptions options,
        RunLayout foldLayout,
        ProgressBar output)
    {
        var train = fold.CreateTrainSet();
        var validation = fold.CreateValidationSet();
        var test = fold.CreateTestSet();
        output.WriteLine(
            $"  subjects: {fold.TrainSubjects.Count} train ({train.Count} windows), "
            + $"{fold.ValidationSubjects.Count} validation ({validation?.Count ?? 0}), "
            + $"{fold.TestSubjects.Count} test ({test.Count})");
        Directory.CreateDirectory(foldLayout.Directory);

        // Teacher frozen with its selected dropouts on; student from its weights or fresh.
        using var teacherModel = ModelCheckpoint.Load(teacherFile);
        var teacher = new StochasticTeacher(
            teacherModel,
            options.StochasticLayers,
            options.DropoutRate,
            options.TeacherChunkRows);
        output.WriteLine(DistillationRunText.DescribeTeacher(teacher, options));
        using var student = StudentDistiller.CreateStudent(
            teacherModel,
            options.StudentInitialization,
            options.Training.Seed);

        // Distillation with a line per epoch.
        var epochs = options.Training.Epochs;
        var foldOptions = options with
        {
            Training = options.Training with
            {
                Progress = epoch => output.WriteLine(DistillationRunText.FormatEpoch(epoch, epochs)),
                CheckpointDirectory = foldLayout.Directory,
                BatchProgress = batch => output.Report(new BatchProgressInfo(
                    batch.Epoch,
                    batch.Epochs,
                    batch.Batch,
                    batch.BatchCount,
                    batch.RunningLoss,
                    batch.WindowsPerSecond,
                    batch.Elapsed)),
            },
        };
        using var result = new StudentDistiller(foldOptions).Fit(student, teacher, train, validation);
        if (result.ResumedFromEpoch > 0)
        {
            output.WriteLine($"  resumed after epoch {result.ResumedFromEpoch}");
        }

        // Test the last epoch, then the validation-selected one (which model.bin contains).
        ModelCheckpoint.Save(student, foldLayout.LastModelFile, test.ClassLabels);
        var lastEpoch = Predict(student, test);
        var selected = lastEpoch;
        var selectedBy = "last_epoch";
        if (result.BestState is not null)
        {
            result.LoadBestState(student);
            selected = Predict(student, test);
            selectedBy = "validation";
        }

        ModelCheckpoint.Save(student, foldLayout.ModelFile, test.ClassLabels);
        var classes = test.ClassLabels.Count;
        var selectedMetrics = Metrics.Compute(test.Labels, selected, classes);
        output.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"  test ({RunText.DescribeSelection(selectedBy)}): accuracy {selectedMetrics.Accuracy:F3}, "
                + $"macro-F1 {selectedMetrics.MacroF1:F3}, kappa {selectedMetrics.CohenKappa:F3}"));
        var outcome = new FoldOutcome(
            new FoldInfo(fold.Name, fold.TrainSubjects, fold.ValidationSubjects, fold.TestSubjects),
            test.Count,
            result.BestEpoch,
            selectedBy,
            selectedMetrics,
            Metrics.Compute(test.Labels, lastEpoch, classes),
            result.History,
            test.Labels,
            selected,
            lastEpoch);
        return outcome;
    }

    private static string ResolveTeacher(DistillRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.TeacherRun);
        return Directory.Exists(request.TeacherRun)
            ? request.TeacherRun
            : Path.Combine(request.RunsDirectory, request.TeacherRun);
    }

    // The fold's subjects as the teacher run recorded them; every one must still be in the data.
    private static SubjectFold RebuildFold(FoldInfo fold, WindowDataset data, TeacherRunFolds teacher)
    {
        var known = SubjectSplit.Subjects(data).ToHashSet(StringComparer.Ordinal);
        var missing = fold.TrainSubjects.Concat(fold.ValidationSubjects).Concat(fold.TestSubjects)
            .Where(subject => !known.Contains(subject))
            .ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException(
                $"Fold {fold.Name} of teacher run {teacher.RunId} names subjects that source "
                + $"'{teacher.Source}' no longer contains: {string.Join(", ", missing)}. Distil from "
                + "a teacher run trained on the same data.");
        }

        return new SubjectFold(fold.Name, data, fold.TrainSubjects, fold.ValidationSubjects, fold.TestSubjects);
    }

    private static void CheckRunId(string runId)
    {
        var unsafeRunId = runId.Length == 0 || runId.Contains('/', StringComparison.Ordinal)
            || runId.Contains('\\', StringComparison.Ordinal) || runId is "." or "..";
        if (unsafeRunId)
        {
            throw new ArgumentException(
                $"--run-id '{runId}' is invalid; use a plain folder name without '/', '\\' or '..'.");
        }
    }

    // run.json: the RunInfo fields, which export and predict read, plus the distillation settings.
    private static string SerializeRunInfo(RunInfo info, DistillationSettings distillation)
    {
        var node = JsonSerializer.SerializeToNode(info, SignalContractJson.Options)!.AsObject();
        node["teacherRunId"] = distillation.TeacherRunId;
        node["distillation"] = distillation.ToRunJson();
        return node.ToJsonString(SignalContractJson.Options);
    }

    private static int[] Predict(PainAttnNet model, WindowDataset test) =>
        new Predictor(model).Predict(test).PredictedLabels();
}
