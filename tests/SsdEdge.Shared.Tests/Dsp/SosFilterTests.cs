using SsdEdge.Dsp;
using Xunit;

namespace SsdEdge.Tests.Dsp;

public class SosFilterTests
{
    private const double Rate = 1000;
    private const double Cutoff = 50;

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(7)]
    public void FilterWindow_SineAtCutoff_HalvesWithoutShift(int order)
    {
        var filter = ButterworthDesign.LowPass(order, Cutoff, Rate);
        var output = filter.FilterWindow(SineFit.Sine(12_000, Cutoff, Rate));

        // Forward and backward: |H|^2 = 0.5 at the cut-off, i.e. -6.02 dB, and zero phase.
        var (amplitude, phase) = SineFit.Fit(output, Cutoff, Rate, 1000, 10_000);

        Assert.Equal(SineFit.Decibels(0.5), SineFit.Decibels(amplitude), 0.05);
        Assert.Equal(0.0, phase, 1e-4);
    }

    [Fact]
    public void FilterWindow_ConstantWindow_HasNoEdgeTransient()
    {
        var filter = ButterworthDesign.LowPass(4, Cutoff, Rate);
        var input = Enumerable.Repeat(3.25f, 300).ToArray();

        var output = filter.FilterWindow(input);

        Assert.All(output, value => Assert.Equal(3.25, value, 1e-5));
    }

    [Fact]
    public void FilterWindow_LinearRamp_IsUnchanged()
    {
        // Odd reflection continues a ramp exactly, and a low-pass with zero phase leaves it unchanged.
        var filter = ButterworthDesign.LowPass(2, Cutoff, Rate);
        var input = Enumerable.Range(0, 400).Select(t => 0.01f * t).ToArray();

        var output = filter.FilterWindow(input);

        for (var t = 0; t < input.Length; t++)
        {
            Assert.Equal(input[t], output[t], 1e-4);
        }
    }

    [Fact]
    public void FilterWindow_InPlace_MatchesSeparateOutput()
    {
        var filter = ButterworthDesign.BandPass(3, 5, 120, Rate);
        var input = NoiseWindow(500, seed: 3);
        var expected = filter.FilterWindow(input);

        var buffer = (float[])input.Clone();
        filter.FilterWindow(buffer, buffer);

        Assert.Equal(expected, buffer);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void FilterWindow_ShorterThanPadding_ReturnsFiniteValues(int length)
    {
        var filter = ButterworthDesign.HighPass(8, Cutoff, Rate);
        var input = NoiseWindow(length, seed: 4);

        var output = filter.FilterWindow(input);

        Assert.All(output, value => Assert.True(float.IsFinite(value)));
    }

    [Fact]
    public void FilterWindow_MidStream_KeepsStreamState()
    {
        var input = NoiseWindow(400, seed: 5);
        var reference = ButterworthDesign.LowPass(4, Cutoff, Rate);
        var expected = reference.Process(input);

        var filter = ButterworthDesign.LowPass(4, Cutoff, Rate);
        var first = filter.Process(input[..200]);
        _ = filter.FilterWindow(NoiseWindow(300, seed: 6));
        var second = filter.Process(input[200..]);

        float[] joined = [.. first, .. second];
        Assert.Equal(expected, joined);
    }

    [Fact]
    public void Process_ChunkedStream_MatchesWholeBlock()
    {
        var input = NoiseWindow(1000, seed: 7);
        var expected = ButterworthDesign.BandPass(2, 10, 100, Rate).Process(input);

        var filter = ButterworthDesign.BandPass(2, 10, 100, Rate);
        var output = new float[input.Length];
        var random = new Random(8);
        var position = 0;
        while (position < input.Length)
        {
            var count = Math.Min(random.Next(1, 50), input.Length - position);
            filter.Process(input.AsSpan(position, count), output.AsSpan(position, count));
            position += count;
        }

        Assert.Equal(expected, output);
    }

    [Fact]
    public void Process_SingleSamples_MatchesBlock()
    {
        var input = NoiseWindow(300, seed: 9);
        var expected = ButterworthDesign.HighPass(3, Cutoff, Rate).Process(input);

        var filter = ButterworthDesign.HighPass(3, Cutoff, Rate);
        var output = input.Select(filter.Process).ToArray();

        Assert.Equal(expected, output);
    }

    [Fact]
    public void Reset_AfterSamples_RestartsFromRest()
    {
        var input = NoiseWindow(200, seed: 10);
        var filter = ButterworthDesign.LowPass(3, Cutoff, Rate);
        var first = filter.Process(input);

        filter.Reset();
        var second = filter.Process(input);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Process_LengthMismatch_Throws()
    {
        var filter = ButterworthDesign.LowPass(2, Cutoff, Rate);

        var error = Assert.Throws<ArgumentException>(() => filter.Process(new float[10], new float[9]));

        Assert.Contains("9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FilterWindow_LengthMismatch_Throws()
    {
        var filter = ButterworthDesign.LowPass(2, Cutoff, Rate);

        Assert.Throws<ArgumentException>(() => filter.FilterWindow(new float[10], new float[11]));
    }

    [Fact]
    public void Constructor_NoSections_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SosFilter([]));
    }

    [Fact]
    public void Constructor_NonFiniteCoefficient_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SosFilter([new Biquad(1, double.NaN, 0, 0, 0)]));
    }

    internal static float[] NoiseWindow(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }
}
