using SsdEdge.Trainer.Evaluation;
using Xunit;

namespace SsdEdge.Trainer.Tests.Evaluation;

public sealed class MetricsTests
{
    // Labels and predictions over three classes, with the confusion matrix
    //   [2 1 0]
    //   [0 2 1]
    //   [1 0 3]
    private static readonly int[] Labels = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2];
    private static readonly int[] Predicted = [0, 0, 1, 1, 1, 2, 2, 2, 2, 0];

    [Fact]
    public void Compute_ThreeClasses_MatchesHandComputedValues()
    {
        var metrics = Metrics.Compute(Labels, Predicted, 3);

        // F1 = 2TP / (actual + predicted): class 0 4/6, class 1 4/6, class 2 6/8.
        var expectedF1 = new[] { 4.0 / 6, 4.0 / 6, 6.0 / 8 };
        // Chance agreement (3*3 + 3*3 + 4*4) / 100 = 0.34; observed 0.7.
        var expectedKappa = (0.7 - 0.34) / (1 - 0.34);
        Assert.Equal(10, metrics.Count);
        Assert.Equal(0.7, metrics.Accuracy, 1e-12);
        Assert.Equal(expectedF1.Average(), metrics.MacroF1, 1e-12);
        Assert.Equal(expectedKappa, metrics.CohenKappa, 1e-12);
        Assert.Equal(expectedF1, metrics.PerClassF1.ToArray(), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void ConfusionMatrix_ThreeClasses_CountsTrueByPredicted()
    {
        var matrix = Metrics.ConfusionMatrix(Labels, Predicted, 3);

        Assert.Equal([2, 1, 0], matrix[0]);
        Assert.Equal([0, 2, 1], matrix[1]);
        Assert.Equal([1, 0, 3], matrix[2]);
    }

    [Fact]
    public void Compute_ClassNeverPredicted_F1IsZero()
    {
        int[] labels = [0, 0, 1, 1];
        int[] predictions = [0, 0, 0, 0];

        var metrics = Metrics.Compute(labels, predictions, 2);

        // Class 0: F1 = 2*2 / (2 + 4) = 2/3; class 1: 0. Chance agreement 0.5, observed 0.5.
        Assert.Equal(0.0, metrics.PerClassF1[1]);
        Assert.Equal(1.0 / 3, metrics.MacroF1, 1e-12);
        Assert.Equal(0.0, metrics.CohenKappa, 1e-12);
        Assert.False(double.IsNaN(metrics.MacroF1), "macro-F1 is NaN.");
    }

    [Fact]
    public void Compute_SingleClass_KappaIsZero()
    {
        var metrics = Metrics.Compute([1, 1, 1], [1, 1, 1], 3);

        Assert.Equal(1.0, metrics.Accuracy);
        Assert.Equal(1.0, metrics.MacroF1);
        Assert.Equal(0.0, metrics.CohenKappa);
    }

    [Fact]
    public void Compute_PerfectBinary_KappaOne()
    {
        var metrics = Metrics.Compute([0, 1, 0, 1], [0, 1, 0, 1], 2);

        Assert.Equal(1.0, metrics.CohenKappa, 1e-12);
    }

    [Fact]
    public void Compute_LengthMismatch_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Metrics.Compute([0, 1], [0], 2));

        Assert.Contains("2 labels but 1 predictions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_LabelOutOfRange_ThrowsNamingWindow()
    {
        var error = Assert.Throws<ArgumentException>(() => Metrics.Compute([0, 5], [0, 1], 2));

        Assert.Contains("Window 1: label 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_Empty_Throws()
    {
        Assert.Throws<ArgumentException>(() => Metrics.Compute([], [], 2));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
