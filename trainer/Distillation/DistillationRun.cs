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
/// Distils a student for every fold of a teacher run, on the same subjects, and writes a run
/// directory with the layout of <see cref="TrainingRun"/>: run.json (with <c>teacherRunId</c> and
/// the distillation settings), contract.json (with <c>teacher_run_id</c>), report.json,
/// report.md, history.csv and per fold <c>folds/NAME/model.bin</c>, <c>model-last.bin</c> and
/// the training checkpoint, from which <see cref="TrainingOptions.Resume"/> continues.
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
    /// failed (identical teacher passes, a diverging loss).</exception>
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
        var teacherLayout = RunLayout.Open(ResolveTeacher(request));
        var teacherInfo = RunLayout.ReadJson<RunInfo>(teacherLayout.RunFile);
        var prepared = DataPreparation.Prepare(teacherInfo.Source, line => output.WriteLine(line));
        var data = prepared.Windows;
        var folds = teacherInfo.Folds.Select(fold => RebuildFold(fold, data, teacherInfo)).ToArray();

        var runId = request.RunId ?? $"{teacherInfo.RunId}-ssd-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
        CheckRunId(runId);
        var layout = new RunLayout(Path.GetFullPath(Path.Combine(request.RunsDirectory, runId)));
        var resume = request.Options.Training.Resume;
        if (resume && !Directory.Exists(layout.Directory))
        {
            throw new ArgumentException(
                $"--resume found no run '{runId}' under {Path.GetFullPath(request.RunsDirectory)}; "
                + "check --run-id and --runs-dir.");
        }

        if (!resume && File.Exists(layout.RunFile))
        {
            throw new InvalidOperationException(
                $"Run directory {layout.Directory} already contains a run; choose another --run-id, or add "
                + "--resume to continue it.");
        }

        Directory.CreateDirectory(layout.Directory);

        // One student per fold, against that fold's teacher.
        var options = request.Options;
        var outcomes = new List<FoldOutcome>();
        var progress = new ProgressBar(output, interactive);
        PainAttnNetConfig? config = null;
        try
        {
            for (var index = 0; index < folds.Length; index++)
            {
                progress.WriteLine($"fold {index + 1}/{folds.Length} ({folds[index].Name})");
                var teacherFile = teacherLayout.Fold(folds[index].Name).ModelFile;
                var (outcome, foldConfig) = DistilFold(
                    folds[index],
                    teacherFile,
                    options,
                    layout.Fold(folds[index].Name),
                    progress);
                outcomes.Add(outcome);
                config = foldConfig;
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            progress.Complete();
            throw new InvalidOperationException(
                $"{ex.Message} The run directory {layout.Directory} is incomplete; continue it with "
                + "--resume and the same --run-id, or delete it before distilling again under that --run-id.",
                ex);
        }

        progress.Complete();
        RunFiles.PromoteSingleFold(layout, outcomes);

        // Run files, as train writes them, with the teacher run named.
        var contract = prepared.Contract with
        {
            RunId = runId,
            ModelId = runId,
            TeacherRunId = teacherInfo.RunId,
            ProducerVersion = ProducerInfo.Version,
            CreatedUtc = DateTimeOffset.UtcNow,
        };
        File.WriteAllText(layout.ContractFile, SignalContractJson.Serialize(contract));
        var info = teacherInfo with
        {
            RunId = runId,
            CreatedUtc = DateTimeOffset.UtcNow,
            ProducerVersion = ProducerInfo.Version,
            Folds = outcomes.Select(outcome => outcome.Info).ToArray(),
            Model = config!,
            Training = TrainingSettings.From(options.Training),
        };
        File.WriteAllText(layout.RunFile, SerializeRunInfo(info, teacherInfo.RunId, options));
        // history.csv: train_loss is the whole distillation objective; validation_loss is the cross-entropy.
        var splitPlan = DistillationRunText.DescribeSplitPlan(info, teacherInfo.RunId);
        RunFiles.WriteResults(layout, info, splitPlan, data.ClassLabels, outcomes, output);
        return layout;
    }

    private static (FoldOutcome Outcome, PainAttnNetConfig Config) DistilFold(
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
                $"  test ({selectedBy}-selected): accuracy {selectedMetrics.Accuracy:F3}, "
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
        return (outcome, student.Config);
    }

    private static string ResolveTeacher(DistillRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.TeacherRun);
        return Directory.Exists(request.TeacherRun)
            ? request.TeacherRun
            : Path.Combine(request.RunsDirectory, request.TeacherRun);
    }

    // The fold's subjects as the teacher run recorded them; every one must still be in the data.
    private static SubjectFold RebuildFold(FoldInfo fold, WindowDataset data, RunInfo teacherInfo)
    {
        var known = SubjectSplit.Subjects(data).ToHashSet(StringComparer.Ordinal);
        var missing = fold.TrainSubjects.Concat(fold.ValidationSubjects).Concat(fold.TestSubjects)
            .Where(subject => !known.Contains(subject))
            .ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException(
                $"Fold {fold.Name} of teacher run {teacherInfo.RunId} names subjects that source "
                + $"'{teacherInfo.Source}' no longer contains: {string.Join(", ", missing)}. Distil from "
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
    private static string SerializeRunInfo(RunInfo info, string teacherRunId, DistillationOptions options)
    {
        var node = JsonSerializer.SerializeToNode(info, SignalContractJson.Options)!.AsObject();
        node["teacherRunId"] = teacherRunId;
        node["distillation"] = new JsonObject
        {
            ["passes"] = options.Passes,
            ["stochasticLayers"] = options.StochasticLayers.Specification,
            ["dropoutRate"] = options.DropoutRate,
            ["teacherChunkRows"] = options.TeacherChunkRows,
            ["temperature"] = options.Temperature,
            ["percentile"] = options.Percentile,
            ["crossEntropyWeight"] = options.CrossEntropyWeight,
            ["distillationWeight"] = options.DistillationWeight,
            ["detachWeights"] = options.DetachWeights,
            ["logitDistillationWeight"] = options.LogitDistillationWeight,
            ["logitDistillationTemperature"] = options.LogitDistillationTemperature,
            ["studentInitialization"] = options.StudentInitialization.ToString().ToLowerInvariant(),
        };
        return node.ToJsonString(SignalContractJson.Options);
    }

    private static int[] Predict(PainAttnNet model, WindowDataset test) =>
        new Predictor(model).Predict(test).PredictedLabels();
}
