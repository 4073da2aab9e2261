using System.Globalization;
using System.Text;
using SsdEdge.Trainer.Reporting;
using SsdEdge.Trainer.Runs;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Distillation;

/// <summary>Console lines, history.csv and the report summary of a distillation run.</summary>
internal static class DistillationRunText
{
    public static string DescribeTeacher(StochasticTeacher teacher, DistillationOptions options)
    {
        var rate = teacher.DropoutRate is { } value
            ? string.Create(CultureInfo.InvariantCulture, $"rate {value}")
            : "trained rates";
        var prefix = teacher.PrefixRunsOnce ? "MSCN and SE-ResNet once per batch" : "whole teacher per pass";
        return $"  teacher: {options.Passes} passes, stochastic layers '{teacher.Layers}' "
            + $"({teacher.ActiveModules.Count} modules, {rate}), {prefix}; student from "
            + options.StudentInitialization.ToString().ToLowerInvariant();
    }

    public static string FormatEpoch(EpochMetrics epoch, int epochs)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"  epoch {epoch.Epoch}/{epochs}: distillation loss {epoch.TrainLoss:F4}, ");
        text.Append(CultureInfo.InvariantCulture, $"accuracy {epoch.TrainAccuracy:F3}");
        if (epoch.Validation is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"; validation loss {epoch.ValidationLoss:F4}, ");
            text.Append(CultureInfo.InvariantCulture, $"accuracy {epoch.Validation.Accuracy:F3}");
        }

        text.Append(CultureInfo.InvariantCulture, $" ({epoch.Duration.TotalSeconds:F1} s)");
        return text.ToString();
    }

    // train_loss is the whole distillation objective; validation_loss is the cross-entropy.
    public static string FormatHistory(IReadOnlyList<FoldOutcome> outcomes)
    {
        var csv = new StringBuilder("fold,epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,seconds\n");
        foreach (var outcome in outcomes)
        {
            foreach (var epoch in outcome.History)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{outcome.Info.Name},{epoch.Epoch},{epoch.TrainLoss},");
                csv.Append(CultureInfo.InvariantCulture, $"{epoch.TrainAccuracy},{epoch.ValidationLoss},");
                csv.Append(CultureInfo.InvariantCulture, $"{epoch.Validation?.Accuracy},{epoch.Duration.TotalSeconds}\n");
            }
        }

        return csv.ToString();
    }

    public static RunSummary CreateSummary(
        RunInfo info,
        string teacherRunId,
        IReadOnlyList<string> classLabels,
        IReadOnlyList<FoldOutcome> outcomes)
    {
        var subjects = info.Folds
            .SelectMany(fold => fold.TrainSubjects.Concat(fold.ValidationSubjects).Concat(fold.TestSubjects))
            .Distinct(StringComparer.Ordinal)
            .Count();
        return new RunSummary
        {
            RunId = info.RunId,
            Source = info.Source,
            CreatedUtc = info.CreatedUtc,
            ProducerVersion = info.ProducerVersion,
            SplitPlan = $"the folds of teacher run {teacherRunId} ({info.FoldPlan}, {info.Folds.Count} fold(s) "
                + $"over {subjects} subjects), distilled by stochastic self-distillation; validation "
                + "subjects choose the epoch",
            ClassLabels = classLabels,
            Folds = outcomes.Select(outcome => FoldResult.Create(
                outcome.Info.Name,
                outcome.Info.TestSubjects,
                outcome.History,
                outcome.BestEpoch,
                outcome.SelectedBy == "validation" ? outcome.Selected : null,
                outcome.LastEpoch)).ToArray(),
        };
    }
}
