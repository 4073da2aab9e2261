using System.CommandLine;
using SsdEdge.Numerics;
using SsdEdge.Trainer.Runs;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Cli;

/// <summary>
/// <c>ssdedge-trainer predict</c>: runs a run's model on windows from a <c>.npy</c> file and
/// writes logits, probabilities and features as <c>.npy</c>, for cross-checks with other tools.
/// </summary>
public static class PredictCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "Run directory written by train.", Required = true };
        var input = new Option<string>("--input")
        {
            Description = "float32 .npy array of model inputs shaped (windows, channels, samples).",
            Required = true,
        };
        var outDir = new Option<string>("--out-dir")
        {
            Description = "Folder for logits.npy, probabilities.npy and features.npy.",
            Required = true,
        };
        var fold = new Option<string?>("--fold")
        {
            Description = "Fold to use, by name or 1-based number (needed when the run has several folds).",
        };
        var last = new Option<bool>("--last-epoch")
        {
            Description = "Use the last-epoch weights instead of model.bin.",
        };
        var command = new Command("predict", "Run a trained model on .npy windows and write its outputs as .npy.")
        {
            run, input, outDir, fold, last,
        };
        command.SetAction(parseResult => CommandErrors.Run(() =>
        {
            var layout = RunLayout.Open(parseResult.GetRequiredValue(run));
            var info = RunLayout.ReadJson<RunInfo>(layout.RunFile);
            var (selected, _) = FoldSelection.Select(info, parseResult.GetValue(fold));
            var foldLayout = layout.Fold(selected.Name);
            var weights = parseResult.GetValue(last) ? foldLayout.LastModelFile : foldLayout.ModelFile;
            if (RunFiles.CheckTopLevelCopy(layout, info, weights) is { } warning)
            {
                Console.Error.WriteLine($"ssdedge-trainer: warning: {warning}");
            }

            Execute(weights, parseResult.GetRequiredValue(input), parseResult.GetRequiredValue(outDir), Console.Out);
        }));
        return command;
    }

    /// <summary>Predicts every window of <paramref name="inputPath"/> with the checkpoint at <paramref name="checkpoint"/>.</summary>
    /// <exception cref="InvalidDataException">The array's shape does not fit the model.</exception>
    public static void Execute(string checkpoint, string inputPath, string outDir, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var model = ModelCheckpoint.Load(checkpoint);
        var config = model.Config;
        var array = NpyFile.Read(inputPath);
        if (array.Shape.Length != 3 || array.Shape[1] != config.InputChannels || array.Shape[2] != config.WindowSamples)
        {
            throw new InvalidDataException(
                $"{inputPath}: shape ({string.Join(", ", array.Shape)}) does not fit the model, which expects "
                + $"(windows, {config.InputChannels}, {config.WindowSamples}).");
        }

        var firstNonFinite = Array.FindIndex(array.Data, value => !float.IsFinite(value));
        if (firstNonFinite >= 0)
        {
            var window = firstNonFinite / (config.InputChannels * config.WindowSamples);
            throw new InvalidDataException(
                $"{inputPath}: window {window} holds {array.Data[firstNonFinite]} at flat index {firstNonFinite}; "
                + "model inputs must be finite (preprocessed windows, as the shared preprocessing writes them).");
        }

        var predictions = new Predictor(model).Predict(array.Data, includeFeatures: true);
        var firstBadOutput = Array.FindIndex(predictions.Probabilities, value => !float.IsFinite(value));
        if (firstBadOutput >= 0)
        {
            throw new InvalidDataException(
                $"{inputPath}: the model's output for window {firstBadOutput / config.Classes} is not finite; "
                + "the input values are far outside the range of preprocessed windows (z-scored values are "
                + "of order 1).");
        }

        Directory.CreateDirectory(outDir);
        var count = array.Shape[0];
        NpyFile.Write(Path.Combine(outDir, "logits.npy"), new NpyArray([count, config.Classes], predictions.Logits));
        NpyFile.Write(
            Path.Combine(outDir, "probabilities.npy"),
            new NpyArray([count, config.Classes], predictions.Probabilities));
        if (predictions.Features is not null)
        {
            NpyFile.Write(
                Path.Combine(outDir, "features.npy"),
                new NpyArray([count, .. config.FeatureShape()], predictions.Features));
        }

        output.WriteLine($"{count} windows predicted; outputs written to {Path.GetFullPath(outDir)}");
    }
}
