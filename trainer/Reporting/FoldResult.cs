using SsdEdge.Trainer.Evaluation;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Reporting;

/// <summary>Outcome of one cross-validation fold, as the run report shows it.</summary>
/// <param name="Name">Fold name, for example <c>fold-03</c> or the held-out subject id.</param>
/// <param name="TestSubjects">Held-out subjects whose windows give the fold's test figures.</param>
/// <param name="History">Per-epoch training and validation figures; may be empty.</param>
/// <param name="BestEpoch">Epoch chosen on validation subjects, or null without them.</param>
/// <param name="ValidationSelected">
/// Test metrics of the model from <paramref name="BestEpoch"/>, or null without validation
/// subjects.
/// </param>
/// <param name="LastEpoch">Test metrics of the model after the last epoch.</param>
public sealed record FoldResult(
    string Name,
    IReadOnlyList<string> TestSubjects,
    IReadOnlyList<EpochRecord> History,
    int? BestEpoch,
    ClassificationMetrics? ValidationSelected,
    ClassificationMetrics LastEpoch)
{
    /// <summary>Builds a fold result from a trainer's history and the two test evaluations.</summary>
    public static FoldResult Create(
        string name,
        IReadOnlyList<string> testSubjects,
        IReadOnlyList<EpochMetrics> history,
        int? bestEpoch,
        ClassificationMetrics? validationSelected,
        ClassificationMetrics lastEpoch)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new FoldResult(
            name,
            testSubjects,
            history.Select(EpochRecord.From).ToArray(),
            bestEpoch,
            validationSelected,
            lastEpoch);
    }
}
