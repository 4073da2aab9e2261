namespace SsdEdge.Trainer.Training;

/// <summary>JSON part of a training checkpoint.</summary>
/// <param name="Fingerprint">Settings and data the run was started with.</param>
/// <param name="CompletedEpochs">
/// Epochs trained so far, which is also the learning rate schedule's position.
/// </param>
/// <param name="History">Metrics of the completed epochs.</param>
/// <param name="BestEpoch">Best validation epoch so far; null without a validation set.</param>
internal sealed record TrainingCheckpointState(
    TrainingFingerprint Fingerprint,
    int CompletedEpochs,
    IReadOnlyList<EpochMetrics> History,
    int? BestEpoch);
