using SsdEdge.Contracts;
using SsdEdge.Datasets;

namespace SsdEdge.Trainer.Runs;

/// <summary>A dataset turned into model windows, with the contract that produced them.</summary>
/// <param name="Descriptor">The opened dataset and its defaults.</param>
/// <param name="Contract">Signal contract of the windows (run fields not yet filled in).</param>
/// <param name="Windows">Preprocessed windows that passed the quality gate.</param>
/// <param name="RejectedWindows">Windows the quality gate rejected.</param>
/// <param name="OutOfRangeWindows">Windows the task could not cut because they left the recording.</param>
public sealed record PreparedData(
    DatasetDescriptor Descriptor,
    SignalContract Contract,
    WindowDataset Windows,
    int RejectedWindows,
    int OutOfRangeWindows);
