using SsdEdge.Trainer.Evaluation;
using SsdEdge.Trainer.Reporting;
using Xunit;

namespace SsdEdge.Trainer.Tests.Reporting;

public sealed class PooledMetricsTests
{
    [Fact]
    public void Combine_TwoFolds_SumsConfusionMatrices()
    {
        var first = FakeRuns.FromMatrix([[4, 1, 0], [0, 2, 1], [1, 0, 3]]);
        var second = FakeRuns.FromMatrix([[2, 0, 0], [1, 1, 1], [0, 2, 5]]);

        var pooled = PooledMetrics.Combine([first, second]);

        Assert.Equal([6, 1, 0], pooled.ConfusionMatrix[0]);
        Assert.Equal([1, 3, 2], pooled.ConfusionMatrix[1]);
        Assert.Equal([1, 2, 8], pooled.ConfusionMatrix[2]);
        Assert.Equal(first.Count + second.Count, pooled.Count);
    }

    [Fact]
    public void Combine_TwoFolds_EqualsMetricsOfConcatenatedWindows()
    {
        int[] labels1 = [0, 0, 1, 1, 1];
        int[] predictions1 = [0, 1, 1, 1, 0];
        int[] labels2 = [0, 1, 1, 0];
        int[] predictions2 = [0, 1, 0, 0];
        var first = Metrics.Compute(labels1, predictions1, 2);
        var second = Metrics.Compute(labels2, predictions2, 2);
        var expected = Metrics.Compute([.. labels1, .. labels2], [.. predictions1, .. predictions2], 2);

        var pooled = PooledMetrics.Combine([first, second]);

        Assert.Equal(expected.Accuracy, pooled.Accuracy, 1e-12);
        Assert.Equal(expected.MacroF1, pooled.MacroF1, 1e-12);
        Assert.Equal(expected.CohenKappa, pooled.CohenKappa, 1e-12);
    }

    [Fact]
    public void Combine_DifferentClassCounts_ThrowsNamingFold()
    {
        var two = FakeRuns.FromMatrix([[1, 0], [0, 1]]);
        var three = FakeRuns.FromMatrix([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);

        var error = Assert.Throws<ArgumentException>(() => PooledMetrics.Combine([two, three]));

        Assert.Contains("Fold 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Combine_NoFolds_Throws()
    {
        Assert.Throws<ArgumentException>(() => PooledMetrics.Combine([]));
    }
}
