using static TorchSharp.torch;

namespace SsdEdge.Trainer.Training;

/// <summary>Run state read back from a training checkpoint; the caller owns the best state.</summary>
internal sealed record RestoredTraining(
    int CompletedEpochs,
    IReadOnlyList<EpochMetrics> History,
    int? BestEpoch,
    Dictionary<string, Tensor>? BestState);
