using SsdEdge.Trainer.Evaluation;
using SsdEdge.Trainer.Reporting;

namespace SsdEdge.Trainer.Tests.Reporting;

// Small finished runs with hand-checked figures.
internal static class FakeRuns
{
    public static readonly string[] Labels = ["no pain", "pain"];

    // Validation-selected test confusion matrices: fold-1 [[4 1] [1 4]] (accuracy 0.8),
    // fold-2 [[3 2] [2 3]] (accuracy 0.6); pooled [[7 3] [3 7]].
    // Last-epoch matrices: fold-1 [[5 0] [3 2]] (0.7), fold-2 [[2 3] [1 4]] (0.6); pooled
    // [[7 3] [4 6]].
    public static RunSummary TwoFolds()
    {
        return new RunSummary
        {
            RunId = "fake-two-folds",
            Source = "synthetic",
            CreatedUtc = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero),
            ProducerVersion = "0.1.0",
            SplitPlan = "2-fold by subject; 1 validation subject per fold",
            ClassLabels = Labels,
            Folds =
            [
                new FoldResult(
                    "fold-1",
                    ["s01", "s02"],
                    History(8, seed: 1),
                    BestEpoch: 6,
                    FromMatrix([[4, 1], [1, 4]]),
                    FromMatrix([[5, 0], [3, 2]])),
                new FoldResult(
                    "fold-2",
                    ["s03"],
                    History(8, seed: 2),
                    BestEpoch: 5,
                    FromMatrix([[3, 2], [2, 3]]),
                    FromMatrix([[2, 3], [1, 4]])),
            ],
        };
    }

    public static RunSummary ManyFolds(int count)
    {
        var folds = Enumerable.Range(1, count)
            .Select(i => new FoldResult(
                $"s{i:00}",
                [$"s{i:00}"],
                History(12 - i % 3, seed: i),
                BestEpoch: 4 + i % 5,
                FromMatrix([[4 + i % 3, 1], [i % 2, 5]]),
                FromMatrix([[3, 2], [1, 4 + i % 2]])))
            .ToArray();
        return TwoFolds() with { RunId = "fake-loso", Folds = folds };
    }

    public static ClassificationMetrics FromMatrix(int[][] matrix)
    {
        var labels = new List<int>();
        var predictions = new List<int>();
        for (var t = 0; t < matrix.Length; t++)
        {
            for (var p = 0; p < matrix[t].Length; p++)
            {
                labels.AddRange(Enumerable.Repeat(t, matrix[t][p]));
                predictions.AddRange(Enumerable.Repeat(p, matrix[t][p]));
            }
        }

        return Metrics.Compute(labels, predictions, matrix.Length);
    }

    // A plausible learning curve: loss falls towards 0.4 with fold-specific wiggle, validation
    // lags training.
    public static EpochRecord[] History(int epochs, int seed)
    {
        return Enumerable.Range(1, epochs)
            .Select(epoch =>
            {
                var wiggle = 0.03 * Math.Sin(epoch * 1.7 + seed);
                var trainLoss = 0.4 + 0.3 * Math.Exp(-epoch / 3.0) + wiggle;
                var validationLoss = trainLoss + 0.08 + 0.01 * epoch;
                return new EpochRecord(
                    epoch,
                    trainLoss,
                    Math.Min(1, 0.5 + 0.05 * epoch + wiggle),
                    validationLoss,
                    Math.Min(1, 0.5 + 0.03 * epoch - wiggle));
            })
            .ToArray();
    }
}
