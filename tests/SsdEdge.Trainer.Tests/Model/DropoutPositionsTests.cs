using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Tests.Training;
using Xunit;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Tests.Model;

/// <summary>
/// The gap-sampled dropout mask has the distribution of one independent Bernoulli draw per element.
/// </summary>
[Collection(TorchGlobalStateGroup.Name)]
public sealed class DropoutPositionsTests
{
    private const long Count = 2_000_000;
    private const double Rate = 0.1;

    [Fact]
    public void Draw_Positions_AscendingAndInRange()
    {
        manual_seed(21);

        using var positions = DropoutPositions.Draw(Count, Rate, CPU);
        using var steps = positions[1..] - positions[..^1];

        Assert.Equal(ScalarType.Int64, positions.dtype);
        Assert.True(positions.min().item<long>() >= 0, "a position is negative");
        Assert.True(positions.max().item<long>() < Count, "a position is past the end");
        Assert.True(steps.min().item<long>() >= 1, "positions repeat or go backwards");
    }

    [Fact]
    public void Draw_ZeroedShare_MatchesRate()
    {
        manual_seed(22);

        using var positions = DropoutPositions.Draw(Count, Rate, CPU);

        // Binomial standard deviation is sqrt(p(1 - p) / n), about 0.0002 here; allow 5 of them.
        var share = positions.shape[0] / (double)Count;
        var tolerance = 5 * Math.Sqrt(Rate * (1 - Rate) / Count);
        Assert.InRange(share, Rate - tolerance, Rate + tolerance);
    }

    [Fact]
    public void Draw_NeighbourPairs_AreIndependent()
    {
        manual_seed(23);

        using var positions = DropoutPositions.Draw(Count, Rate, CPU);
        using var mask = zeros(Count, ScalarType.Bool);
        mask.index_fill_(0, positions, true);
        using var bothZeroed = mask[1..].logical_and(mask[..^1]);

        // Independent draws zero both of two neighbours with probability p².
        var share = bothZeroed.sum().item<long>() / (double)(Count - 1);
        var expected = Rate * Rate;
        var tolerance = 5 * Math.Sqrt(expected * (1 - expected) / Count);
        Assert.InRange(share, expected - tolerance, expected + tolerance);
    }

    [Fact]
    public void Draw_SameSeed_SamePositions()
    {
        manual_seed(24);
        using var first = DropoutPositions.Draw(10_000, Rate, CPU);
        manual_seed(24);
        using var second = DropoutPositions.Draw(10_000, Rate, CPU);

        Assert.Equal(first.shape, second.shape);
        Assert.True(first.eq(second).all().item<bool>(), "the same seed drew other positions");
    }

    [Fact]
    public void Draw_NoElements_ReturnsEmpty()
    {
        using var positions = DropoutPositions.Draw(0, Rate, CPU);

        Assert.Equal(0, positions.shape[0]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Draw_RateOutsideOpenUnitInterval_Throws(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DropoutPositions.Draw(10, rate, CPU));
    }

    [Fact]
    public void GapDropout_Training_ZeroesOrScales()
    {
        manual_seed(25);
        using var dropout = new GapDropout(Rate);
        dropout.train();
        using var input = ones(1000, 200);

        using var output = dropout.forward(input);

        using var zeroed = output.eq(0);
        using var scaled = (output - (1 / (1 - Rate))).abs().lt(1e-6);
        Assert.True(zeroed.logical_or(scaled).all().item<bool>(), "an element is neither zeroed nor scaled");
        var share = zeroed.sum().item<long>() / 200_000.0;
        Assert.InRange(share, Rate - 0.004, Rate + 0.004);
    }

    [Fact]
    public void GapDropout_Eval_ReturnsInput()
    {
        using var dropout = new GapDropout(Rate);
        dropout.eval();
        using var input = randn(10, 20);

        using var output = dropout.forward(input);

        Assert.True(output.eq(input).all().item<bool>(), "eval-mode dropout changed its input");
    }

    [Fact]
    public void GapDropout_Training_PassesGradientToKeptElements()
    {
        manual_seed(26);
        using var dropout = new GapDropout(Rate);
        dropout.train();
        using var input = ones(100, 100).requires_grad_();

        using var output = dropout.forward(input);
        using var loss = output.sum();
        loss.backward();

        // The gradient is 1 / (1 - p) where the element was kept and 0 where it was zeroed.
        using var kept = output.ne(0);
        using var expected = kept.to(ScalarType.Float32) * (1 / (1 - Rate));
        using var difference = (input.grad! - expected).abs().max();
        Assert.True(difference.item<float>() < 1e-6, $"gradient differs by {difference.item<float>()}");
    }
}
