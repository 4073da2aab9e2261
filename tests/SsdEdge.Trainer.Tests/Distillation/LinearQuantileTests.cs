using SsdEdge.Trainer.Distillation;
using Xunit;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Tests.Distillation;

public sealed class LinearQuantileTests
{
    [Theory]
    [InlineData(new[] { 1.0, 2.0, 3.0, 4.0 }, 0.5, 2.5)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 0.9, 3.7)]
    [InlineData(new[] { 1.0, 2.0, 2.0, 2.0, 5.0 }, 0.5, 2.0)]
    [InlineData(new[] { 1.0, 2.0, 2.0, 2.0, 5.0 }, 0.9, 3.8)]
    [InlineData(new[] { 3.0, 3.0, 3.0 }, 0.9, 3.0)]
    [InlineData(new[] { 7.0 }, 0.9, 7.0)]
    [InlineData(new[] { 1.0, 2.0, 3.0 }, 0.0, 1.0)]
    [InlineData(new[] { 1.0, 2.0, 3.0 }, 1.0, 3.0)]
    public void Of_HandComputedCases_MatchesLinearInterpolation(double[] values, double quantile, double expected)
    {
        var result = LinearQuantile.Of(values, quantile);

        Assert.Equal(expected, result, 12);
    }

    [Fact]
    public void Of_NinetiethPercentileOfThirtyValues_InterpolatesRanks26And27()
    {
        // Position 0.9 × 29 = 26.1: the 27th and 28th smallest values (0-based 26 and 27), 10 % of the way.
        var values = Enumerable.Range(1, 30).Select(i => (double)(i * i)).Reverse().ToArray();

        var result = LinearQuantile.Of(values, 0.9);

        Assert.Equal((27.0 * 27) + (0.1 * ((28.0 * 28) - (27.0 * 27))), result, 10);
    }

    [Fact]
    public void OfRows_RandomRows_MatchesTorchQuantile()
    {
        using var generator = new TorchSharp.torch.Generator(5);
        using var values = rand([6, 30], dtype: ScalarType.Float64, generator: generator);
        using var q = tensor(0.9, ScalarType.Float64);

        using var ours = LinearQuantile.OfRows(values, 0.9);
        using var theirs = values.quantile(q, 1, keepdim: true);

        using var difference = (ours - theirs).abs().max();
        Assert.True(difference.item<double>() < 1e-15, $"max difference {difference.item<double>()}");
    }

    [Fact]
    public void Of_QuantileOutsideUnitInterval_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearQuantile.Of([1.0, 2.0], 90));
    }
}
