using System.Globalization;
using System.Text;
using System.Text.Json;
using SsdEdge.Contracts;
using SsdEdge.Datasets;
using SsdEdge.Trainer.Cli;
using SsdEdge.Trainer.Evaluation;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Runs;

/// <summary>
/// Trains a PainAttnNet teacher on one subject-wise split and writes a run directory: run.json,
/// contract.json, model.bin, model-last.bin, report.json and history.csv.
/// </summary>
public static class TrainingRun
{
    /// <summary>Runs the request and returns the layout of the run directory it wrote.</summary>
    /// <exception cref="ArgumentException">The split leaves no training or test subject.</exception>
    public static RunLayout Execute(TrainRequest request, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        request.Training.Validate();

        // Data: the shared readers and preprocessing, as the agent uses them.
        var prepared = DataPreparation.Prepare(request.Source, line => output.WriteLine(line));
        var data = prepared.Windows;

        // Split by subject: the test subjects never choose the epoch.
        var fold = SplitBySubject(data, request);
        var train = fold.CreateTrainSet();
        var validation = fold.CreateValidationSet();
        var test = fold.CreateTestSet();
        output.WriteLine(
            $"subjects: {fold.TrainSubjects.Count} train ({train.Count} windows), "
            + $"{fold.ValidationSubjects.Count} validation ({validation?.Count ?? 0}), "
            + $"{fold.TestSubjects.Count} test ({test.Count}): {string.Join(", ", fold.TestSubjects)}");

        var runId = request.RunId ?? $"{prepared.Descriptor.Source.Format}-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
        var layout = new RunLayout(Path.GetFullPath(Path.Combine(request.RunsDirectory, runId)));
        Directory.CreateDirectory(layout.Directory);

        // Teacher training with a progress line per epoch.
        var config = new PainAttnNetConfig
        {
            InputChannels = data.ChannelCount,
            WindowSamples = data.WindowSamples,
            Classes = data.ClassLabels.Count,
        };
        config.Validate();
        var options = request.Training with { Progress = epoch => output.WriteLine(FormatEpoch(epoch, request.Training.Epochs)) };
        using var model = new PainAttnNet(config);
        using var result = new TeacherTrainer(options).Fit(model, train, validation);

        // Evaluate the last epoch, then the validation-selected one (which is what model.bin holds).
        ModelCheckpoint.Save(model, layout.LastModelFile, data.ClassLabels);
        var lastEpoch = Evaluate(model, test);
        var selectedBy = "last_epoch";
        var selected = lastEpoch;
        if (result.BestState is not null)
        {
            result.LoadBestState(model);
            selected = Evaluate(model, test);
            selectedBy = "validation";
        }

        ModelCheckpoint.Save(model, layout.ModelFile, data.ClassLabels);

        // Run files.
        var contract = prepared.Contract with
        {
            RunId = runId,
            ModelId = runId,
            ProducerVersion = ProducerInfo.Version,
            CreatedUtc = DateTimeOffset.UtcNow,
        };
        File.WriteAllText(layout.ContractFile, SignalContractJson.Serialize(contract));
        var info = new RunInfo
        {
            RunId = runId,
            Source = request.Source,
            CreatedUtc = DateTimeOffset.UtcNow,
            ProducerVersion = ProducerInfo.Version,
            TrainSubjects = fold.TrainSubjects,
            ValidationSubjects = fold.ValidationSubjects,
            TestSubjects = fold.TestSubjects,
            Model = config,
            Training = TrainingSettings.From(request.Training),
        };
        File.WriteAllText(layout.RunFile, JsonSerializer.Serialize(info, SignalContractJson.Options));
        var report = TrainingReport.Create(info, data.ClassLabels, selectedBy, selected, lastEpoch, result);
        File.WriteAllText(layout.ReportFile, JsonSerializer.Serialize(report, TrainingReport.JsonOptions));
        File.WriteAllText(layout.HistoryFile, FormatHistory(result.History));

        output.WriteLine(
            $"test ({selectedBy}-selected): accuracy {selected.Accuracy:F3}, macro-F1 {selected.MacroF1:F3}, "
            + $"kappa {selected.CohenKappa:F3}; last epoch: accuracy {lastEpoch.Accuracy:F3}");
        output.WriteLine($"run written to {layout.Directory}");
        return layout;
    }

    private static SubjectFold SplitBySubject(WindowDataset data, TrainRequest request)
    {
        var testSubjects = request.TestSubjects;
        if (testSubjects.Count == 0)
        {
            var subjects = SubjectSplit.Subjects(data);
            var (_, drawn) = SubjectSplit.SplitValidation(subjects, request.TestFraction, request.Training.Seed);
            testSubjects = drawn;
        }

        return SubjectSplit.Holdout(data, testSubjects.ToArray(), request.ValidationFraction, request.Training.Seed);
    }

    private static ClassificationMetrics Evaluate(PainAttnNet model, WindowDataset test)
    {
        var predictions = new Predictor(model).Predict(test);
        return Metrics.Compute(test.Labels, predictions.PredictedLabels(), test.ClassLabels.Count);
    }

    private static string FormatEpoch(EpochMetrics epoch, int epochs)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"epoch {epoch.Epoch}/{epochs}: train loss {epoch.TrainLoss:F4}, ");
        text.Append(CultureInfo.InvariantCulture, $"accuracy {epoch.TrainAccuracy:F3}");
        if (epoch.Validation is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"; validation loss {epoch.ValidationLoss:F4}, ");
            text.Append(CultureInfo.InvariantCulture, $"accuracy {epoch.Validation.Accuracy:F3}");
        }

        text.Append(CultureInfo.InvariantCulture, $" ({epoch.Duration.TotalSeconds:F1} s)");
        return text.ToString();
    }

    private static string FormatHistory(IReadOnlyList<EpochMetrics> history)
    {
        var csv = new StringBuilder("epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,seconds\n");
        foreach (var epoch in history)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{epoch.Epoch},{epoch.TrainLoss},{epoch.TrainAccuracy},");
            csv.Append(CultureInfo.InvariantCulture, $"{epoch.ValidationLoss},{epoch.Validation?.Accuracy},");
            csv.Append(CultureInfo.InvariantCulture, $"{epoch.Duration.TotalSeconds}\n");
        }

        return csv.ToString();
    }
}
