using SsdEdge.Dsp;
using SsdEdge.Preprocessing;
using Xunit;

namespace SsdEdge.Tests.Dsp;

public class NormalizationTests
{
    [Fact]
    public void Apply_ZScore_GivesUnitVariance()
    {
        var samples = SosFilterTests.NoiseWindow(1000, seed: 11).Select(x => (5 * x) + 12).ToArray();

        Normalization.Apply(NormalizationKind.ZScore, samples);

        var mean = samples.Average(x => (double)x);
        var deviation = Math.Sqrt(samples.Average(x => (x - mean) * (x - mean)));
        Assert.Equal(0.0, mean, 1e-6);
        Assert.Equal(1.0, deviation, 1e-6);
    }

    [Fact]
    public void Apply_MinMax_MapsRangeToZeroOne()
    {
        var samples = SosFilterTests.NoiseWindow(1000, seed: 12).Select(x => (3 * x) - 4).ToArray();

        Normalization.Apply(NormalizationKind.MinMax, samples);

        Assert.Equal(0f, samples.Min());
        Assert.Equal(1f, samples.Max());
    }

    [Theory]
    [InlineData(NormalizationKind.ZScore)]
    [InlineData(NormalizationKind.MinMax)]
    public void Apply_ConstantChannel_GivesZeros(NormalizationKind kind)
    {
        var samples = Enumerable.Repeat(14.2f, 500).ToArray();

        Normalization.Apply(kind, samples);

        Assert.All(samples, value => Assert.Equal(0f, value));
    }

    [Fact]
    public void Apply_None_LeavesSamples()
    {
        var samples = SosFilterTests.NoiseWindow(50, seed: 13);
        var expected = (float[])samples.Clone();

        Normalization.Apply(NormalizationKind.None, samples);

        Assert.Equal(expected, samples);
    }

    [Fact]
    public void ApplyPerChannel_TwoChannels_NormalisesEachAlone()
    {
        var first = SosFilterTests.NoiseWindow(100, seed: 14).Select(x => x + 100).ToArray();
        var second = Enumerable.Repeat(2f, 100).ToArray();
        float[] window = [.. first, .. second];

        Normalization.ApplyPerChannel(NormalizationKind.ZScore, window, 2);

        Normalization.Apply(NormalizationKind.ZScore, first);
        Assert.Equal(first, window[..100]);
        Assert.All(window[100..], value => Assert.Equal(0f, value));
    }

    [Fact]
    public void Apply_SpansOfDifferentLength_Throws()
    {
        Assert.Throws<ArgumentException>(
            () => Normalization.Apply(NormalizationKind.ZScore, new float[4], new float[5]));
    }

    [Fact]
    public void ApplyPerChannel_PartialChannel_Throws()
    {
        Assert.Throws<ArgumentException>(
            () => Normalization.ApplyPerChannel(NormalizationKind.ZScore, new float[7], 2));
    }
}
