namespace SsdEdge.Trainer.Reporting;

/// <summary>Training progress after one batch.</summary>
/// <param name="Epoch">Current epoch, from 1 to <paramref name="Epochs"/>.</param>
/// <param name="Epochs">Total epochs of the run.</param>
/// <param name="Batch">Batches finished in the current epoch, from 0 to <paramref name="Batches"/>.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="MeanLoss">Mean training loss over the epoch's batches so far.</param>
/// <param name="WindowsPerSecond">Training throughput in windows per second.</param>
/// <param name="Elapsed">Wall time since training started, previous epochs included.</param>
public sealed record BatchProgressInfo(
    int Epoch,
    int Epochs,
    int Batch,
    int Batches,
    double MeanLoss,
    double WindowsPerSecond,
    TimeSpan Elapsed);
