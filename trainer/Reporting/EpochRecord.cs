using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Reporting;

/// <summary>Training and validation figures of one epoch, as plotted and tabulated.</summary>
/// <param name="Epoch">Epoch number, starting at 1.</param>
/// <param name="TrainLoss">Mean training cross-entropy; may be NaN or infinite after divergence.</param>
/// <param name="TrainAccuracy">Fraction of training windows classified correctly.</param>
/// <param name="ValidationLoss">Mean validation cross-entropy; null without validation subjects.</param>
/// <param name="ValidationAccuracy">Validation accuracy; null without validation subjects.</param>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy)
{
    /// <summary>Copies the plotted figures out of a trainer's epoch metrics.</summary>
    public static EpochRecord From(EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new EpochRecord(
            metrics.Epoch,
            metrics.TrainLoss,
            metrics.TrainAccuracy,
            metrics.ValidationLoss,
            metrics.Validation?.Accuracy);
    }

    /// <summary>Whether every figure present in this epoch is a finite number.</summary>
    public bool IsFinite =>
        double.IsFinite(TrainLoss)
        && double.IsFinite(TrainAccuracy)
        && (ValidationLoss is null || double.IsFinite(ValidationLoss.Value))
        && (ValidationAccuracy is null || double.IsFinite(ValidationAccuracy.Value));
}
