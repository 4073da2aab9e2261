using System.Globalization;
using System.Text;
using SsdEdge.Trainer.Reporting;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Runs;

/// <summary>Text that training and distillation runs print and write in the same form.</summary>
internal static class RunText
{
    /// <summary>
    /// Describes how a fold's tested model was chosen, from <see cref="FoldOutcome.SelectedBy"/>
    /// (<c>validation</c> or <c>last_epoch</c>), for console output.
    /// </summary>
    public static string DescribeSelection(string selectedBy) =>
        selectedBy == "validation" ? "validation-selected" : "last epoch; no validation subjects";

    /// <summary>Formats one epoch's line; <paramref name="lossName"/> names the training objective.</summary>
    public static string FormatEpoch(EpochMetrics epoch, int epochs, string lossName)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"  epoch {epoch.Epoch}/{epochs}: {lossName} {epoch.TrainLoss:F4}, ");
        text.Append(CultureInfo.InvariantCulture, $"accuracy {epoch.TrainAccuracy:F3}");
        if (epoch.Validation is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"; validation loss {epoch.ValidationLoss:F4}, ");
            text.Append(CultureInfo.InvariantCulture, $"accuracy {epoch.Validation.Accuracy:F3}");
        }

        text.Append(CultureInfo.InvariantCulture, $" ({epoch.Duration.TotalSeconds:F1} s)");
        return text.ToString();
    }

    /// <summary>Formats history.csv: one row per fold and epoch.</summary>
    public static string FormatHistory(IReadOnlyList<FoldOutcome> outcomes)
    {
        var csv = new StringBuilder(
            "fold,epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,seconds\n");
        foreach (var outcome in outcomes)
        {
            foreach (var epoch in outcome.History)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{outcome.Info.Name},{epoch.Epoch},{epoch.TrainLoss},");
                csv.Append(CultureInfo.InvariantCulture, $"{epoch.TrainAccuracy},{epoch.ValidationLoss},");
                csv.Append(CultureInfo.InvariantCulture, $"{epoch.Validation?.Accuracy},");
                csv.Append(CultureInfo.InvariantCulture, $"{epoch.Duration.TotalSeconds}\n");
            }
        }

        return csv.ToString();
    }

    /// <summary>Returns the number of distinct subjects over every fold of a run.</summary>
    public static int SubjectCount(RunInfo info) =>
        info.Folds
            .SelectMany(fold => fold.TrainSubjects.Concat(fold.ValidationSubjects).Concat(fold.TestSubjects))
            .Distinct(StringComparer.Ordinal)
            .Count();

    /// <summary>Builds the report writer's summary of a run's folds.</summary>
    public static RunSummary CreateSummary(
        RunInfo info,
        string splitPlan,
        IReadOnlyList<string> classLabels,
        IReadOnlyList<FoldOutcome> outcomes) =>
        new()
        {
            RunId = info.RunId,
            Source = info.Source,
            CreatedUtc = info.CreatedUtc,
            ProducerVersion = info.ProducerVersion,
            SplitPlan = splitPlan,
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
