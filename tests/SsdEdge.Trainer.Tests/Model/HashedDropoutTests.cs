using SsdEdge.Trainer.Distillation;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Tests.Training;
using Xunit;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Tests.Model;

/// <summary>
/// The hashed dropout mask has the distribution of one independent Bernoulli draw per element,
/// and a tensor dropped in parts at offsets gets the mask of one call on the whole.
/// </summary>
[Collection(TorchGlobalStateGroup.Name)]
public sealed class HashedDropoutTests
{
    private const int Count = 2_000_000;
    private const double Rate = 0.1;
    private const ulong Seed = 0x0123_4567_89AB_CDEF;

    [Fact]
    public void Apply_ZeroedShare_MatchesRate()
    {
        using var input = ones(Count);

        using var output = HashedDropout.Apply(input, Rate, Seed);

        var share = output.eq(0).sum().item<long>() / (double)Count;
        var tolerance = 5 * Math.Sqrt(Rate * (1 - Rate) / Count);
        Assert.InRange(share, Rate - tolerance, Rate + tolerance);
    }

    [Fact]
    public void Apply_KeptElements_ScaledByInverseKeepRate()
    {
        using var input = rand(1000, 300);

        using var output = HashedDropout.Apply(input, Rate, Seed);

        using var keptMask = output.ne(0);
        using var expected = input.masked_select(keptMask) / (1 - Rate);
        using var actual = output.masked_select(keptMask);
        var difference = (actual - expected).abs().max().item<float>();
        Assert.True(difference < 1e-6, $"kept elements differ from input / (1 - p) by {difference}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(75)]
    [InlineData(5625)]
    public void Apply_PairsAtDistance_AreIndependent(int distance)
    {
        using var input = ones(Count);

        using var output = HashedDropout.Apply(input, Rate, Seed);

        // Independent draws zero both elements of a pair with probability p², whatever their
        // distance (neighbours, attention rows, attention heads).
        using var zeroed = output.eq(0);
        using var both = zeroed[distance..].logical_and(zeroed[..^distance]);
        var share = both.sum().item<long>() / (double)(Count - distance);
        var expected = Rate * Rate;
        var tolerance = 5 * Math.Sqrt(expected * (1 - expected) / Count);
        Assert.InRange(share, expected - tolerance, expected + tolerance);
    }

    [Fact]
    public void Apply_OtherSeed_IndependentMask()
    {
        using var input = ones(Count);

        using var first = HashedDropout.Apply(input, Rate, Seed);
        using var second = HashedDropout.Apply(input, Rate, Seed + 1);

        using var both = first.eq(0).logical_and(second.eq(0));
        var share = both.sum().item<long>() / (double)Count;
        var expected = Rate * Rate;
        var tolerance = 5 * Math.Sqrt(expected * (1 - expected) / Count);
        Assert.InRange(share, expected - tolerance, expected + tolerance);
    }

    [Fact]
    public void Write_InPartsAtOffsets_EqualsWhole()
    {
        using var input = randn(6, 1001);
        using var whole = HashedDropout.Apply(input, Rate, Seed);
        using var parts = empty_like(input);

        for (var row = 0; row < 6; row++)
        {
            using var source = input[row].contiguous();
            using var destination = parts[row];
            HashedDropout.Write(source, destination, Rate, Seed, row * 1001L);
        }

        Assert.True(parts.eq(whole).all().item<bool>(), "parts written at offsets differ from one call");
    }

    [Fact]
    public void Write_VectorAndScalarTails_AgreeWithHash()
    {
        // 37 elements: four vectors of eight and a scalar tail of five, from an odd offset.
        const long Offset = 1_000_003;
        using var input = ones(37);
        using var output = empty_like(input);

        HashedDropout.Write(input, output, Rate, Seed, Offset);

        var values = output.data<float>().ToArray();
        var threshold = HashedDropout.Threshold(Rate);
        for (var i = 0; i < values.Length; i++)
        {
            var dropped = HashedDropout.Hash(Seed, Offset + i) < threshold;
            Assert.Equal(dropped, values[i] == 0);
        }
    }

    [Fact]
    public void Write_AcrossBlockBoundary_AgreesWithHash()
    {
        // Flat indices 2³² − 20 to 2³² + 19 straddle the boundary where the keys change.
        const long Offset = (1L << 32) - 20;
        using var input = ones(40);
        using var output = empty_like(input);

        HashedDropout.Write(input, output, Rate, Seed, Offset);

        var values = output.data<float>().ToArray();
        var threshold = HashedDropout.Threshold(Rate);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(HashedDropout.Hash(Seed, Offset + i) < threshold, values[i] == 0);
        }
    }

    [Fact]
    public void Apply_RecordedInput_PassesGradientToKeptElements()
    {
        using var input = ones(100, 100).requires_grad_();

        using var output = HashedDropout.Apply(input, Rate, Seed);
        using var loss = output.sum();
        loss.backward();

        using var keptMask = output.ne(0);
        using var expected = keptMask.to(ScalarType.Float32) * (1 / (1 - Rate));
        var difference = (input.grad! - expected).abs().max().item<float>();
        Assert.True(difference < 1e-6, $"gradient differs by {difference}");
    }

    [Fact]
    public void DrawSeed_ManualSeed_Repeats()
    {
        manual_seed(31);
        var first = HashedDropout.DrawSeed();
        manual_seed(31);
        var second = HashedDropout.DrawSeed();
        var third = HashedDropout.DrawSeed();

        Assert.Equal(first, second);
        Assert.NotEqual(second, third);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Apply_RateOutsideOpenUnitInterval_Throws(double rate)
    {
        using var input = ones(10);

        Assert.Throws<ArgumentOutOfRangeException>(() => HashedDropout.Apply(input, rate, Seed));
    }

    [Fact]
    public void AutomaticChunkRows_DefaultConfig_Is149()
    {
        var rows = StochasticTeacher.AutomaticChunkRows(new PainAttnNetConfig());

        // 5 heads × 75 × 75 floats = 112,500 bytes a row; 149 rows fit in 16 MiB.
        Assert.Equal(149, rows);
    }
}
