using SsdEdge.Trainer.Evaluation;

namespace SsdEdge.Trainer.Training;

/// <summary>Results of one training epoch.</summary>
/// <param name="Epoch">Epoch number, starting at 1.</param>
/// <param name="TrainLoss">Mean cross-entropy over the epoch's training windows, in training mode.</param>
/// <param name="TrainAccuracy">Fraction of training windows classified correctly during the epoch.</param>
/// <param name="ValidationLoss">Mean cross-entropy on the validation set in eval mode; null without one.</param>
/// <param name="Validation">Validation metrics in eval mode; null without a validation set.</param>
/// <param name="Duration">Wall time of the epoch, validation included.</param>
/// <param name="LearningRate">
/// Learning rate of the epoch's optimiser steps; null in metrics built without one.
/// </param>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double? ValidationLoss,
    ClassificationMetrics? Validation,
    TimeSpan Duration,
    double? LearningRate = null);
