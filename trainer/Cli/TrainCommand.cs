using System.CommandLine;
using SsdEdge.Trainer.Runs;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Cli;

/// <summary><c>ssdedge-trainer train</c>: trains a PainAttnNet teacher on a subject-wise split.</summary>
public static class TrainCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new Option<string>("--data")
        {
            Description = "Data source: fmov:DIR, biovid:DIR, ucr:DIR/NAME, csv:FILE or synthetic:SEED[?subjects=N].",
            Required = true,
        };
        var runsDir = new Option<string>("--runs-dir")
        {
            Description = "Folder for run directories.",
            DefaultValueFactory = _ => "runs",
        };
        var runId = new Option<string?>("--run-id") { Description = "Run directory name (default: source and time)." };
        var folds = new Option<string?>("--folds")
        {
            Description = "Fold plan: holdout, loso, kfold:K or split "
                + "(default: the dataset's own split if it has one, else holdout).",
        };
        var testSubjects = new Option<string?>("--test-subjects")
        {
            Description = "Comma-separated subjects to hold out for testing (default: a seeded 20 % of them).",
        };
        var testFraction = new Option<double>("--test-fraction")
        {
            Description = "Share of subjects drawn for testing when --test-subjects is not given.",
            DefaultValueFactory = _ => 0.2,
        };
        var validationFraction = new Option<double>("--validation-fraction")
        {
            Description = "Share of training subjects that select the epoch (0 keeps the last epoch).",
            DefaultValueFactory = _ => 0.2,
        };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => 10 };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Windows per batch.",
            DefaultValueFactory = _ => 32,
        };
        var learningRate = new Option<double>("--learning-rate")
        {
            Description = "Adam learning rate.",
            DefaultValueFactory = _ => 1e-3,
        };
        var weightDecay = new Option<double>("--weight-decay")
        {
            Description = "Adam weight decay.",
            DefaultValueFactory = _ => 1e-3,
        };
        var noAmsGrad = new Option<bool>("--no-amsgrad") { Description = "Use plain Adam instead of AMSGrad." };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of initialisation, shuffling and subject draws.",
            DefaultValueFactory = _ => 1,
        };
        var device = new Option<string>("--device")
        {
            Description = "auto, cpu or cuda.",
            DefaultValueFactory = _ => "auto",
        };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for libtorch (default: all cores)." };
        var schedule = new Option<string>("--lr-schedule")
        {
            Description = "Learning-rate schedule: constant, cosine or step.",
            DefaultValueFactory = _ => "constant",
        };
        var warmup = new Option<int>("--warmup-epochs")
        {
            Description = "Epochs of linear warm-up before the schedule.",
        };
        var minLearningRate = new Option<double>("--min-lr") { Description = "Floor of the cosine schedule." };
        var stepEpochs = new Option<int>("--lr-step-epochs")
        {
            Description = "Epochs between learning-rate steps (step schedule).",
            DefaultValueFactory = _ => 10,
        };
        var gamma = new Option<double>("--lr-gamma")
        {
            Description = "Factor applied at each step (step schedule).",
            DefaultValueFactory = _ => 0.1,
        };
        var checkpointEvery = new Option<int>("--checkpoint-every")
        {
            Description = "Epochs between training checkpoints in each fold's folder.",
            DefaultValueFactory = _ => 1,
        };
        var fold = new Option<string?>("--fold")
        {
            Description = "Train only this fold of the plan (a name or a number from 1) and write only its "
                + "folder, for one job per fold; `merge` then assembles the run. Without --run-id, the run "
                + "id is derived from the settings, so every fold job finds the same run directory.",
        };
        var resume = new Option<bool>("--resume")
        {
            Description = "Continue an interrupted run (same --run-id) from its latest checkpoints. With "
                + "--fold, a fold without a checkpoint starts afresh, so one job script serves first and "
                + "repeated attempts.",
        };

        var fusion = new FusionOptions();

        var command = new Command("train", "Train PainAttnNet teachers on subject-wise folds and report held-out results.")
        {
            data, runsDir, runId, folds, testSubjects, testFraction, validationFraction, epochs, batchSize,
            learningRate, weightDecay, noAmsGrad, seed, device, threads, schedule, warmup, minLearningRate,
            stepEpochs, gamma, checkpointEvery, fold, resume,
        };
        fusion.AddTo(command);
        command.SetAction(parseResult => CommandErrors.Run(() =>
        {
            var (fusionKind, hiddenUnits, fusionDropout) = fusion.Read(parseResult);
            var request = new TrainRequest
            {
                Source = parseResult.GetRequiredValue(data),
                RunsDirectory = parseResult.GetValue(runsDir)!,
                RunId = parseResult.GetValue(runId),
                Folds = parseResult.GetValue(folds) is { } plan ? FoldPlan.Parse(plan) : null,
                TestSubjects = SplitList(parseResult.GetValue(testSubjects)),
                TestFraction = parseResult.GetValue(testFraction),
                ValidationFraction = parseResult.GetValue(validationFraction),
                Fold = parseResult.GetValue(fold),
                Fusion = fusionKind,
                FusionHiddenUnits = hiddenUnits,
                FusionDropout = fusionDropout,
                Training = new TrainingOptions
                {
                    Epochs = parseResult.GetValue(epochs),
                    BatchSize = parseResult.GetValue(batchSize),
                    LearningRate = parseResult.GetValue(learningRate),
                    WeightDecay = parseResult.GetValue(weightDecay),
                    AmsGrad = !parseResult.GetValue(noAmsGrad),
                    Seed = parseResult.GetValue(seed),
                    Device = parseResult.GetValue(device)!,
                    CpuThreads = parseResult.GetValue(threads),
                    LearningRateSchedule = ParseSchedule(
                        parseResult.GetValue(schedule)!,
                        parseResult.GetValue(warmup),
                        parseResult.GetValue(minLearningRate),
                        parseResult.GetValue(stepEpochs),
                        parseResult.GetValue(gamma)),
                    CheckpointEveryEpochs = parseResult.GetValue(checkpointEvery),
                    Resume = parseResult.GetValue(resume),
                },
            };
            TrainingRun.Execute(request, Console.Out, interactive: !Console.IsOutputRedirected);
        }));
        return command;
    }

    /// <summary>Builds a learning-rate schedule from its command-line name and parameters.</summary>
    /// <exception cref="ArgumentException">The name is not constant, cosine or step.</exception>
    public static LearningRateSchedule ParseSchedule(
        string name,
        int warmupEpochs,
        double minimumLearningRate,
        int stepEpochs,
        double gamma) =>
        name.Trim().ToLowerInvariant() switch
        {
            "constant" when warmupEpochs == 0 => LearningRateSchedule.Constant,
            "constant" => throw new ArgumentException("--warmup-epochs needs --lr-schedule cosine or step."),
            "cosine" => LearningRateSchedule.Cosine(minimumLearningRate, warmupEpochs),
            "step" => LearningRateSchedule.Step(stepEpochs, gamma, warmupEpochs),
            _ => throw new ArgumentException($"--lr-schedule '{name}' is unknown; use constant, cosine or step."),
        };

    /// <summary>Splits a comma-separated list, dropping blanks.</summary>
    public static IReadOnlyList<string> SplitList(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? Array.Empty<string>()
            : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
