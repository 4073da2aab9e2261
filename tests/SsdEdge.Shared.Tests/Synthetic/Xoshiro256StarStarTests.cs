using SsdEdge.Synthetic;
using Xunit;

namespace SsdEdge.Tests.Synthetic;

public sealed class Xoshiro256StarStarTests
{
    [Fact]
    public void SplitMix64_SeedZero_MatchesReferenceSequence()
    {
        // First outputs of the SplitMix64 reference implementation for state 0.
        ulong state = 0;

        Assert.Equal(0xE220A8397B1DCDAFUL, Xoshiro256StarStar.SplitMix64(ref state));
        Assert.Equal(0x6E789E6AA1B965F4UL, Xoshiro256StarStar.SplitMix64(ref state));
    }

    [Fact]
    public void NextDouble_ManyDraws_UniformOnUnit()
    {
        var random = new Xoshiro256StarStar(123);

        var values = Enumerable.Range(0, 100_000).Select(_ => random.NextDouble()).ToList();

        Assert.All(values, v => Assert.InRange(v, 0.0, 1.0 - double.Epsilon));
        Assert.Equal(0.5, values.Average(), 0.01);
    }

    [Fact]
    public void NextGaussian_ManyDraws_HaveUnitVariance()
    {
        var random = new Xoshiro256StarStar(5);

        var values = Enumerable.Range(0, 100_000).Select(_ => random.NextGaussian()).ToList();
        var mean = values.Average();
        var variance = values.Average(v => (v - mean) * (v - mean));

        Assert.Equal(0.0, mean, 0.02);
        Assert.Equal(1.0, variance, 0.03);
    }
}
