using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SsdEdge.Contracts;
using SsdEdge.Datasets;
using SsdEdge.Trainer.Cli;
using SsdEdge.Trainer.Evaluation;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Reporting;
using TorchSharp;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Runs;

/// <summary>
/// Trains a PainAttnNet teacher on every fold of a subject-wise plan and writes a run directory:
/// run.json, contract.json, report.json, history.csv, and per fold <c>folds/NAME/model.bin</c>
/// (validation-selected), <c>model-last.bin</c> and <c>part.json</c>. A one-fold run also keeps
/// both models at the top. With <see cref="TrainRequest.Fold"/> set, only that fold's folder is
/// written, and <see cref="RunMerge"/> writes the run files once every fold is done.
/// </summary>
public static class TrainingRun
{
    /// <summary>Runs the request and returns the layout of the run directory it wrote.</summary>
    /// <param name="request">Source, folds and training options.</param>
    /// <param name="output">Receives progress and results.</param>
    /// <param name="interactive">Whether <paramref name="output"/> is a terminal, so the progress
    /// bar redraws one line; otherwise it writes one line per epoch.</param>
    /// <exception cref="ArgumentException">The plan leaves a fold without training or test subjects.</exception>
    public static RunLayout Execute(TrainRequest request, TextWriter output, bool interactive = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        // Each fold checkpoints into its own folder, set below; validate with a stand-in folder.
        (request.Training with { CheckpointDirectory = request.RunsDirectory }).Validate();

        ValidateRequest(request);
        TrainingDevice.Resolve(request.Training.Device);

        // Data: the shared readers and preprocessing, as the agent uses them.
        var prepared = DataPreparation.Prepare(request.Source, line => output.WriteLine(line));
        var data = prepared.Windows;

        // Folds by subject: the test subjects never choose the epoch.
        var plan = request.Folds ?? FoldPlan.DefaultFor(prepared);
        var folds = plan.CreateFolds(prepared, request);
        ThrowIfFoldEmpty(folds);
        var config = new PainAttnNetConfig
        {
            InputChannels = data.ChannelCount,
            WindowSamples = data.WindowSamples,
            Classes = data.ClassLabels.Count,
            Fusion = request.Fusion,
            FusionHiddenUnits = request.FusionHiddenUnits,
            FusionDropout = request.FusionDropout,
        };
        config.Validate();
        var settings = new RunPartSettings(
            request.Source,
            plan.ToString(),
            request.TestSubjects,
            request.TestFraction,
            request.ValidationFraction,
            config,
            TrainingSettings.From(request.Training),
            data.ClassLabels,
            RunPartSettings.DigestOf(data),
            ProducerInfo.Version);
        var planFolds = folds.Select(fold => fold.Name).ToArray();
        var runId = request.RunId ?? (request.Fold is null
            ? $"{prepared.Descriptor.Source.Format}-{DateTime.UtcNow:yyyyMMdd-HHmmss}"
            : DeriveRunId(prepared.Descriptor.Source.Format, settings));
        var selected = request.Fold is null
            ? Enumerable.Range(0, folds.Count).ToArray()
            : [FoldSelection.SelectNumber(planFolds, request.Fold, $"Fold plan {plan} of '{request.Source}'") - 1];
        var layout = new RunLayout(Path.GetFullPath(Path.Combine(request.RunsDirectory, runId)));
        Directory.CreateDirectory(layout.Directory);
        var contract = prepared.Contract with
        {
            RunId = runId,
            ModelId = runId,
            ProducerVersion = ProducerInfo.Version,
        };

        // One teacher per fold, each fold's part written as soon as the fold is done.
        var outcomes = new List<FoldOutcome>();
        var progress = new ProgressBar(output, interactive);
        try
        {
            foreach (var index in selected)
            {
                progress.WriteLine($"fold {index + 1}/{folds.Count} ({folds[index].Name})");
                var foldLayout = layout.Fold(folds[index].Name);
                var outcome = TrainFold(folds[index], config, request, foldLayout, progress);
                outcomes.Add(outcome);
                var finished = DateTimeOffset.UtcNow;
                new RunPart
                {
                    RunId = runId,
                    FoldNumber = index + 1,
                    PlanFolds = planFolds,
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
            throw new InvalidOperationException(
                $"{ex.Message} Training stopped in {layout.Directory}; the folds' training checkpoints are "
                + "kept there.",
                ex);
        }

        progress.Complete();
        if (request.Fold is not null)
        {
            var name = folds[selected[0]].Name;
            output.WriteLine($"fold {name} written to {layout.Fold(name).Directory}");
            output.WriteLine(
                $"run {runId} has {folds.Count} fold(s); once every fold is written, run: "
                + $"ssdedge-trainer merge {layout.Directory}");
            return layout;
        }

        // Run files, from the outcomes exactly as merge assembles them from the parts.
        var created = DateTimeOffset.UtcNow;
        var info = CreateRunInfo(runId, settings, created, outcomes);
        RunFiles.WriteRun(
            layout,
            contract with { CreatedUtc = created },
            info,
            DescribePlan(info),
            data.ClassLabels,
            outcomes,
            output);
        return layout;
    }

    /// <summary>Builds the run.json contents of a run whose folds all finished.</summary>
    internal static RunInfo CreateRunInfo(
        string runId,
        RunPartSettings settings,
        DateTimeOffset createdUtc,
        IReadOnlyList<FoldOutcome> outcomes) =>
        new()
        {
            RunId = runId,
            Source = settings.Source,
            CreatedUtc = createdUtc,
            ProducerVersion = settings.ProducerVersion,
            FoldPlan = settings.FoldPlan,
            Folds = outcomes.Select(outcome => outcome.Info).ToArray(),
            Model = settings.Model,
            Training = settings.Training,
        };

    /// <summary>
    /// Derives the run id of a one-fold job from the settings that merge compares, so every fold
    /// job of one run, started with the same options, finds the same run directory.
    /// </summary>
    internal static string DeriveRunId(string sourceFormat, RunPartSettings settings)
    {
        var plan = settings.FoldPlan.Replace(":", "", StringComparison.Ordinal);
        return $"{sourceFormat}-{plan}-{SettingsDigest(settings)}";
    }

    /// <summary>
    /// Returns the first 12 hex digits of the SHA-256 of the settings that merge compares, so
    /// jobs started with the same options derive the same run id.
    /// </summary>
    internal static string SettingsDigest(RunPartSettings settings)
    {
        var compared = settings with { Training = settings.Training with { Device = "" } };
        var json = JsonSerializer.Serialize(compared, RunPart.JsonOptions);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        return digest[..12];
    }

    private static void ValidateRequest(TrainRequest request)
    {
        if (!(request.TestFraction > 0 && request.TestFraction < 1))
        {
            throw new ArgumentException(
                $"--test-fraction {request.TestFraction} is invalid; use a share between 0 and 1, such as 0.2.");
        }

        if (!(request.ValidationFraction >= 0 && request.ValidationFraction < 1))
        {
            throw new ArgumentException(
                $"--validation-fraction {request.ValidationFraction} is invalid; use a share from 0 (keep the last "
                + "epoch) up to but not including 1.");
        }

        if (request.TestSubjects.Count > 0 && request.Folds is { Kind: not FoldPlanKind.Holdout })
        {
            throw new ArgumentException(
                $"--test-subjects applies to --folds holdout only; --folds {request.Folds} chooses its own test "
                + "subjects.");
        }

        if (request.FusionHiddenUnits < 1)
        {
            throw new ArgumentException(
                $"--fusion-hidden {request.FusionHiddenUnits} is invalid; use at least 1, such as 128.");
        }

        if (!(request.FusionDropout >= 0 && request.FusionDropout < 1))
        {
            throw new ArgumentException(
                $"--fusion-dropout {request.FusionDropout} is invalid; use a rate from 0 up to but not including 1, "
                + "such as 0.5.");
        }

        // A fold job resumes only its own fold, and its first attempt may find no run yet.
        if (request.Training.Resume && request.RunId is not null && request.Fold is null
            && !Directory.Exists(Path.Combine(request.RunsDirectory, request.RunId)))
        {
            throw new ArgumentException(
                $"--resume found no run '{request.RunId}' under {Path.GetFullPath(request.RunsDirectory)}; "
                + "check --run-id and --runs-dir.");
        }

        var runId = request.RunId;
        var unsafeRunId = runId is not null
            && (runId.Length == 0 || runId.Contains('/', StringComparison.Ordinal)
                || runId.Contains('\\', StringComparison.Ordinal) || runId is "." or "..");
        if (unsafeRunId)
        {
            throw new ArgumentException(
                $"--run-id '{runId}' is invalid; use a plain folder name without '/', '\\' or '..'.");
        }
    }

    private static void ThrowIfFoldEmpty(IReadOnlyList<SubjectFold> folds)
    {
        foreach (var fold in folds)
        {
            if (fold.TrainIndices.Count == 0 || fold.TestIndices.Count == 0)
            {
                throw new ArgumentException(
                    $"Fold {fold.Name} has {fold.TrainIndices.Count} training and {fold.TestIndices.Count} test "
                    + $"windows ({fold.TrainSubjects.Count} and {fold.TestSubjects.Count} subjects); every fold needs "
                    + "both. Use a source with more subjects or another --folds plan.");
            }
        }
    }

    private static FoldOutcome TrainFold(
        SubjectFold fold,
        PainAttnNetConfig config,
        TrainRequest request,
        RunLayout foldLayout,
        ProgressBar output)
    {
        var train = fold.CreateTrainSet();
        var validation = fold.CreateValidationSet();
        var test = fold.CreateTestSet();
        output.WriteLine(
            $"  subjects: {fold.TrainSubjects.Count} train ({train.Count} windows), "
            + $"{fold.ValidationSubjects.Count} validation ({validation?.Count ?? 0}), "
            + $"{fold.TestSubjects.Count} test ({test.Count}): {Abbreviate(fold.TestSubjects)}");
        Directory.CreateDirectory(foldLayout.Directory);

        // Teacher training with a line per epoch.
        var epochs = request.Training.Epochs;
        var options = request.Training with
        {
            Progress = epoch => output.WriteLine(RunText.FormatEpoch(epoch, epochs, "train loss")),
            BatchProgress = batch => output.Report(new BatchProgressInfo(
                batch.Epoch,
                batch.Epochs,
                batch.Batch,
                batch.BatchCount,
                batch.RunningLoss,
                batch.WindowsPerSecond,
                batch.Elapsed)),
            CheckpointDirectory = foldLayout.Directory,
        };
        // Initial weights come from torch's global generator: seed it so every fold starts from the
        // same weights for the same --seed.
        torch.manual_seed(request.Training.Seed);
        using var model = new PainAttnNet(config);
        using var result = new TeacherTrainer(options).Fit(model, train, validation);
        if (result.ResumedFromEpoch > 0)
        {
            output.WriteLine($"  resumed after epoch {result.ResumedFromEpoch}");
        }

        // Test the last epoch, then the validation-selected one (which model.bin holds).
        ModelCheckpoint.Save(model, foldLayout.LastModelFile, test.ClassLabels);
        var lastEpoch = Predict(model, test);
        var selected = lastEpoch;
        var selectedBy = "last_epoch";
        if (result.BestState is not null)
        {
            result.LoadBestState(model);
            selected = Predict(model, test);
            selectedBy = "validation";
        }

        ModelCheckpoint.Save(model, foldLayout.ModelFile, test.ClassLabels);
        var classes = test.ClassLabels.Count;
        var selectedMetrics = Metrics.Compute(test.Labels, selected, classes);
        output.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"  test ({RunText.DescribeSelection(selectedBy)}): accuracy {selectedMetrics.Accuracy:F3}, "
                + $"macro-F1 {selectedMetrics.MacroF1:F3}, kappa {selectedMetrics.CohenKappa:F3}"));
        return new FoldOutcome(
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
    }

    internal static string DescribePlan(RunInfo info)
    {
        var subjects = RunText.SubjectCount(info);
        var plan = info.FoldPlan switch
        {
            "loso" => "leave-one-subject-out",
            "split" => "the dataset's own train/test split",
            "holdout" => "one held-out group of subjects",
            var other => other,
        };
        return $"{plan}, {info.Folds.Count} fold(s) over {subjects} subjects; validation subjects "
            + "drawn from each fold's training subjects choose the epoch";
    }

    private static int[] Predict(PainAttnNet model, WindowDataset test) =>
        new Predictor(model).Predict(test).PredictedLabels();

    private static string Abbreviate(IReadOnlyList<string> subjects) =>
        subjects.Count <= 6
            ? string.Join(", ", subjects)
            : string.Join(", ", subjects.Take(5)) + $" and {subjects.Count - 5} more";
}
