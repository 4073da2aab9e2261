using SsdEdge.Trainer.Evaluation;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Runs;

/// <summary>What training and testing one fold produced.</summary>
/// <param name="Info">Subjects of the fold.</param>
/// <param name="TestWindows">Windows of the test subjects.</param>
/// <param name="BestEpoch">Epoch chosen on validation subjects, or null without them.</param>
/// <param name="SelectedBy"><c>validation</c> or <c>last_epoch</c>: how the fold's model was chosen.</param>
/// <param name="Selected">Test metrics of the chosen model.</param>
/// <param name="LastEpoch">Test metrics after the last epoch.</param>
/// <param name="History">Per-epoch training and validation figures.</param>
/// <param name="TestLabels">True class of each test window.</param>
/// <param name="SelectedPredictions">Class the chosen model predicted for each test window.</param>
/// <param name="LastEpochPredictions">Class the last-epoch model predicted for each test window.</param>
public sealed record FoldOutcome(
    FoldInfo Info,
    int TestWindows,
    int? BestEpoch,
    string SelectedBy,
    ClassificationMetrics Selected,
    ClassificationMetrics LastEpoch,
    IReadOnlyList<EpochMetrics> History,
    IReadOnlyList<int> TestLabels,
    IReadOnlyList<int> SelectedPredictions,
    IReadOnlyList<int> LastEpochPredictions);
