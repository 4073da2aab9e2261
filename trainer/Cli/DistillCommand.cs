using System.CommandLine;
using SsdEdge.Trainer.Distillation;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Cli;

/// <summary>
/// <c>ssdedge-trainer distill</c>: stochastic self-distillation of a student for every fold of a
/// teacher run.
/// </summary>
public static class DistillCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var teacher = new Option<string>("--teacher")
        {
            Description = "Teacher run: a run directory, or a run id under --runs-dir.",
            Required = true,
        };
        var runsDir = new Option<string>("--runs-dir")
        {
            Description = "Folder for run directories.",
            DefaultValueFactory = _ => "runs",
        };
        var runId = new Option<string?>("--run-id")
        {
            Description = "Student run directory name (default: teacher id, 'ssd' and the time; with --fold, "
                + "teacher id, 'ssd' and a digest of the settings).",
        };
        var fold = new Option<string?>("--fold")
        {
            Description = "Distil only this fold of the teacher run (a name or a number from 1) and write only its "
                + "folder, for one job per fold; `merge` then assembles the run. The teacher run may be merged "
                + "or have only this fold trained.",
        };
        var passes = new Option<int>("--passes")
        {
            Description = "Stochastic teacher passes per batch.",
            DefaultValueFactory = _ => 30,
        };
        var layers = new Option<string>("--stochastic-layers")
        {
            Description = "Teacher dropouts to switch on: all, encoder, head (the last encoder layer, or the fusion "
                + "dropout of a late-fusion teacher) or comma-separated "
                + "module-name globs (* any characters, ? one character).",
            DefaultValueFactory = _ => StochasticLayers.DefaultSpecification,
        };
        var dropoutRate = new Option<double?>("--dropout-rate")
        {
            Description = "Dropout rate for the selected modules, attention included (default: the trained rates).",
        };
        var temperature = new Option<double>("--temperature")
        {
            Description = "Softmax temperature h of the student-guided weights.",
            DefaultValueFactory = _ => 5,
        };
        var target = new Option<string>("--kd-target")
        {
            Description = "Representation target: ssd (student-guided weighting) or mean (mean of the passes).",
            DefaultValueFactory = _ => "ssd",
        };
        var percentile = new Option<double>("--percentile")
        {
            Description = "Percentile (0-100) a teacher pass's weight must reach to be kept.",
            DefaultValueFactory = _ => 90,
        };
        var ceWeight = new Option<double>("--ce-weight")
        {
            Description = "Weight of the cross-entropy on the labels.",
            DefaultValueFactory = _ => 0.5,
        };
        var kdWeight = new Option<double>("--kd-weight")
        {
            Description = "Weight of the student-guided representation loss.",
            DefaultValueFactory = _ => 0.5,
        };
        var studentInit = new Option<string>("--student-init")
        {
            Description = "Student start: teacher (copy of its weights) or fresh.",
            DefaultValueFactory = _ => "teacher",
        };
        var detachWeights = new Option<bool>("--detach-weights")
        {
            Description = "Stop gradients through the student-guided weights.",
        };
        var logitWeight = new Option<double>("--logit-kd-weight")
        {
            Description = "Weight of Hinton logit distillation (0: off).",
        };
        var logitTemperature = new Option<double>("--logit-kd-temperature")
        {
            Description = "Temperature of the logit distillation.",
            DefaultValueFactory = _ => 4,
        };
        var epochs = new Option<int>("--epochs")
        {
            Description = "Distillation epochs.",
            DefaultValueFactory = _ => 10,
        };
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
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of shuffling, dropout masks and a fresh student.",
            DefaultValueFactory = _ => 1,
        };
        var device = new Option<string>("--device")
        {
            Description = "auto, cpu or cuda.",
            DefaultValueFactory = _ => "auto",
        };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for libtorch (default: all cores)." };
        var checkpointEvery = new Option<int>("--checkpoint-every")
        {
            Description = "Write each fold's training checkpoint every N epochs (and after the last).",
            DefaultValueFactory = _ => 1,
        };
        var resume = new Option<bool>("--resume")
        {
            Description = "Continue the run named by --run-id from its checkpoints.",
        };
        var chunkRows = new Option<int?>("--teacher-chunk-rows")
        {
            Description = "Maximum rows (passes x windows) per teacher forward of the stochastic part, "
                + "to bound memory (default: as many as keep one layer's attention weights within 16 MiB, "
                + "149 rows for the default model).",
        };

        var command = new Command(
            "distill",
            "Distil students from a teacher run's folds by stochastic self-distillation.")
        {
            teacher, runsDir, runId, fold, passes, layers, dropoutRate, temperature, percentile, target, ceWeight, kdWeight,
            studentInit, detachWeights, logitWeight, logitTemperature, epochs, batchSize, learningRate, seed,
            device, threads, checkpointEvery, resume, chunkRows,
        };
        command.SetAction(parseResult => CommandErrors.Run(() =>
        {
            var request = new DistillRequest
            {
                TeacherRun = parseResult.GetRequiredValue(teacher),
                RunsDirectory = parseResult.GetValue(runsDir)!,
                RunId = parseResult.GetValue(runId),
                Fold = parseResult.GetValue(fold),
                Options = new DistillationOptions
                {
                    Passes = parseResult.GetValue(passes),
                    StochasticLayers = StochasticLayers.Parse(parseResult.GetValue(layers)!),
                    DropoutRate = parseResult.GetValue(dropoutRate),
                    TeacherChunkRows = parseResult.GetValue(chunkRows),
                    Temperature = parseResult.GetValue(temperature),
                    Percentile = parseResult.GetValue(percentile),
                    Target = ParseTarget(parseResult.GetValue(target)!),
                    CrossEntropyWeight = parseResult.GetValue(ceWeight),
                    DistillationWeight = parseResult.GetValue(kdWeight),
                    DetachWeights = parseResult.GetValue(detachWeights),
                    LogitDistillationWeight = parseResult.GetValue(logitWeight),
                    LogitDistillationTemperature = parseResult.GetValue(logitTemperature),
                    StudentInitialization = ParseInitialization(parseResult.GetValue(studentInit)!),
                    Training = new TrainingOptions
                    {
                        Epochs = parseResult.GetValue(epochs),
                        BatchSize = parseResult.GetValue(batchSize),
                        LearningRate = parseResult.GetValue(learningRate),
                        Seed = parseResult.GetValue(seed),
                        Device = parseResult.GetValue(device)!,
                        CpuThreads = parseResult.GetValue(threads),
                        CheckpointEveryEpochs = parseResult.GetValue(checkpointEvery),
                        Resume = parseResult.GetValue(resume),
                    },
                },
            };
            DistillationRun.Execute(request, Console.Out, interactive: !Console.IsOutputRedirected);
        }));
        return command;
    }

    /// <summary>Parses <c>--student-init</c>.</summary>
    /// <exception cref="ArgumentException">The value is not teacher or fresh.</exception>
    public static StudentInitialization ParseInitialization(string text) =>
        text.Trim().ToLowerInvariant() switch
        {
            "teacher" => StudentInitialization.Teacher,
            "fresh" => StudentInitialization.Fresh,
            _ => throw new ArgumentException($"--student-init '{text}' is unknown; use teacher or fresh."),
        };

    /// <summary>Parses <c>--kd-target</c>.</summary>
    /// <exception cref="ArgumentException">The value is not ssd or mean.</exception>
    public static DistillationTarget ParseTarget(string text) => text.Trim().ToLowerInvariant() switch
    {
        "ssd" => DistillationTarget.StudentGuided,
        "mean" => DistillationTarget.Mean,
        _ => throw new ArgumentException($"--kd-target '{text}' is unknown; use ssd or mean."),
    };
}
