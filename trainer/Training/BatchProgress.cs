namespace SsdEdge.Trainer.Training;

/// <summary>State of a training run after one optimiser step.</summary>
/// <param name="Epoch">Epoch number, starting at 1.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Batch">Batch number within the epoch, starting at 1.</param>
/// <param name="BatchCount">Batches in the epoch.</param>
/// <param name="RunningLoss">Mean cross-entropy over the epoch's windows so far.</param>
/// <param name="WindowsPerSecond">Training windows of this epoch per second of its wall time.</param>
/// <param name="EpochElapsed">Wall time since the epoch began.</param>
/// <param name="Elapsed">Wall time since training began in this call (resumed epochs excluded).</param>
/// <param name="LearningRate">Learning rate of the epoch.</param>
public readonly record struct BatchProgress(
    int Epoch,
    int Epochs,
    int Batch,
    int BatchCount,
    double RunningLoss,
    double WindowsPerSecond,
    TimeSpan EpochElapsed,
    TimeSpan Elapsed,
    double LearningRate);
