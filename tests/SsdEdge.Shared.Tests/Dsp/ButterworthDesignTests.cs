using SsdEdge.Dsp;
using SsdEdge.Preprocessing;
using Xunit;

namespace SsdEdge.Tests.Dsp;

public class ButterworthDesignTests
{
    private const double Rate = 1000;
    private const double Cutoff = 50;

    // -3.0103 dB, the Butterworth gain at the cut-off; the brief tolerance is 0.05 dB.
    private static readonly double HalfPowerDb = SineFit.Decibels(Math.Sqrt(0.5));
    private const double DbTolerance = 0.05;

    public static TheoryData<int> Orders => [1, 2, 3, 4, 5, 6, 7, 8];

    [Theory]
    [MemberData(nameof(Orders))]
    public void LowPass_Response_MatchesButterworth(int order)
    {
        var filter = ButterworthDesign.LowPass(order, Cutoff, Rate);

        Assert.Equal(1.0, filter.Response(0, Rate).Magnitude, 1e-9);
        Assert.Equal(HalfPowerDb, SineFit.Decibels(filter.Response(Cutoff, Rate).Magnitude), DbTolerance);
        Assert.Equal(0.0, filter.Response(Rate / 2, Rate).Magnitude, 1e-9);
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void HighPass_Response_MatchesButterworth(int order)
    {
        var filter = ButterworthDesign.HighPass(order, Cutoff, Rate);

        Assert.Equal(0.0, filter.Response(0, Rate).Magnitude, 1e-9);
        Assert.Equal(HalfPowerDb, SineFit.Decibels(filter.Response(Cutoff, Rate).Magnitude), DbTolerance);
        Assert.Equal(1.0, filter.Response(Rate / 2, Rate).Magnitude, 1e-9);
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void BandPass_Response_MatchesEdgesAndCentre(int order)
    {
        const double low = 20;
        const double high = 80;
        var filter = ButterworthDesign.BandPass(order, low, high, Rate);

        // The centre is the geometric mean of the pre-warped edges, mapped back to Hz.
        var warpedCentre = Math.Sqrt(Math.Tan(Math.PI * low / Rate) * Math.Tan(Math.PI * high / Rate));
        var centre = Math.Atan(warpedCentre) * Rate / Math.PI;

        Assert.Equal(order, filter.Sections.Count);
        Assert.Equal(1.0, filter.Response(centre, Rate).Magnitude, 1e-9);
        Assert.Equal(HalfPowerDb, SineFit.Decibels(filter.Response(low, Rate).Magnitude), DbTolerance);
        Assert.Equal(HalfPowerDb, SineFit.Decibels(filter.Response(high, Rate).Magnitude), DbTolerance);
        Assert.Equal(0.0, filter.Response(0, Rate).Magnitude, 1e-9);
        Assert.Equal(0.0, filter.Response(Rate / 2, Rate).Magnitude, 1e-9);
    }

    [Fact]
    public void BandPass_WideOddOrder_MatchesEdgesAndCentre()
    {
        // Wide enough that the real prototype pole maps to two real poles.
        const double low = 1;
        const double high = 400;
        var filter = ButterworthDesign.BandPass(3, low, high, Rate);
        var centre = Math.Atan(Math.Sqrt(Math.Tan(Math.PI * low / Rate) * Math.Tan(Math.PI * high / Rate)))
            * Rate / Math.PI;

        Assert.Equal(1.0, filter.Response(centre, Rate).Magnitude, 1e-9);
        Assert.Equal(HalfPowerDb, SineFit.Decibels(filter.Response(low, Rate).Magnitude), DbTolerance);
        Assert.Equal(HalfPowerDb, SineFit.Decibels(filter.Response(high, Rate).Magnitude), DbTolerance);
    }

    [Fact]
    public void Notch_Response_RemovesOnlyCentre()
    {
        var filter = ButterworthDesign.Notch(50, 30, Rate);

        Assert.Equal(0.0, filter.Response(50, Rate).Magnitude, 1e-9);
        Assert.Equal(1.0, filter.Response(0, Rate).Magnitude, 1e-9);
        Assert.Equal(1.0, filter.Response(Rate / 2, Rate).Magnitude, 1e-9);

        // Analog estimate at 25 Hz: 1 - ((25 * 50 / 30)^2 / (50^2 - 25^2)^2) / 2 = 0.99975.
        Assert.Equal(1.0, filter.Response(25, Rate).Magnitude, 1e-3);
        Assert.Equal(1.0, filter.Response(100, Rate).Magnitude, 1e-3);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void LowPass_SineAtCutoff_HalfPower(int order)
    {
        var filter = ButterworthDesign.LowPass(order, Cutoff, Rate);
        var output = filter.Process(SineFit.Sine(12_000, Cutoff, Rate));

        // Skip 2 s of transient; 10 s hold exactly 500 periods of 50 Hz.
        var (amplitude, _) = SineFit.Fit(output, Cutoff, Rate, 2000, 10_000);

        Assert.Equal(HalfPowerDb, SineFit.Decibels(amplitude), DbTolerance);
    }

    [Theory]
    [InlineData(5.0)]
    [InlineData(200.0)]
    public void LowPass_StreamedSine_HasSteadyStateGainOfDesign(double frequencyHz)
    {
        const int order = 4;
        var filter = ButterworthDesign.LowPass(order, Cutoff, Rate);
        var output = filter.Process(SineFit.Sine(12_000, frequencyHz, Rate));

        var (amplitude, _) = SineFit.Fit(output, frequencyHz, Rate, 2000, 10_000);

        // Digital Butterworth magnitude on the pre-warped axis: 1 / sqrt(1 + (tan(πf/fs) / tan(πfc/fs))^2N).
        var ratio = Math.Tan(Math.PI * frequencyHz / Rate) / Math.Tan(Math.PI * Cutoff / Rate);
        var expected = 1 / Math.Sqrt(1 + Math.Pow(ratio, 2 * order));
        Assert.Equal(expected, amplitude, 1e-5);
    }

    [Fact]
    public void HighPass_SineAtCutoff_HalfPower()
    {
        var filter = ButterworthDesign.HighPass(3, Cutoff, Rate);
        var output = filter.Process(SineFit.Sine(12_000, Cutoff, Rate));

        var (amplitude, _) = SineFit.Fit(output, Cutoff, Rate, 2000, 10_000);

        Assert.Equal(HalfPowerDb, SineFit.Decibels(amplitude), DbTolerance);
    }

    [Fact]
    public void BandPass_SineAtEdge_HalfPower()
    {
        var filter = ButterworthDesign.BandPass(2, 20, 80, Rate);
        var output = filter.Process(SineFit.Sine(12_000, 20, Rate));

        var (amplitude, _) = SineFit.Fit(output, 20, Rate, 2000, 10_000);

        Assert.Equal(HalfPowerDb, SineFit.Decibels(amplitude), DbTolerance);
    }

    [Fact]
    public void Notch_StreamedSineAtCentre_IsRemoved()
    {
        var filter = ButterworthDesign.Notch(50, 30, Rate);
        var output = filter.Process(SineFit.Sine(12_000, 50, Rate));

        var (amplitude, _) = SineFit.Fit(output, 50, Rate, 2000, 10_000);

        Assert.True(amplitude < 1e-4, $"Amplitude at the notch centre is {amplitude}; expected below 1e-4.");
    }

    [Theory]
    [InlineData(500.0)]
    [InlineData(600.0)]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    [InlineData(double.NaN)]
    public void LowPass_CutoffOutOfRange_Throws(double cutoffHz)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ButterworthDesign.LowPass(2, cutoffHz, Rate));

        Assert.Equal("cutoffHz", error.ParamName);
        Assert.Contains($"Cut-off {cutoffHz} Hz", error.Message, StringComparison.Ordinal);
        Assert.Contains("1000 Hz", error.Message, StringComparison.Ordinal);
        Assert.Contains("between 0 Hz and 500 Hz", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void HighPass_OrderOutsideRange_Throws(int order)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ButterworthDesign.HighPass(order, Cutoff, Rate));

        Assert.Equal("order", error.ParamName);
    }

    [Fact]
    public void BandPass_InvertedEdges_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ButterworthDesign.BandPass(2, 80, 20, Rate));

        Assert.Equal("highCutoffHz", error.ParamName);
    }

    [Fact]
    public void Notch_NonPositiveQualityFactor_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ButterworthDesign.Notch(50, 0, Rate));

        Assert.Equal("qualityFactor", error.ParamName);
    }

    [Fact]
    public void FromSpec_BandPassWithoutHighCutoff_Throws()
    {
        var spec = new FilterSpec("*", FilterKind.BandPass, 20);

        var error = Assert.Throws<ArgumentException>(() => ButterworthDesign.FromSpec(spec, Rate));

        Assert.Contains("HighCutoffHz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSpec_EachKind_DesignsMatchingFilter()
    {
        var lowPass = ButterworthDesign.FromSpec(new FilterSpec("*", FilterKind.LowPass, Cutoff, Order: 3), Rate);
        var highPass = ButterworthDesign.FromSpec(new FilterSpec("*", FilterKind.HighPass, Cutoff, Order: 3), Rate);
        var bandPass = ButterworthDesign.FromSpec(new FilterSpec("*", FilterKind.BandPass, 20, 80, Order: 3), Rate);
        var notch = ButterworthDesign.FromSpec(new FilterSpec("*", FilterKind.Notch, 50, QualityFactor: 10), Rate);

        Assert.Equal(ButterworthDesign.LowPass(3, Cutoff, Rate).Sections, lowPass.Sections);
        Assert.Equal(ButterworthDesign.HighPass(3, Cutoff, Rate).Sections, highPass.Sections);
        Assert.Equal(ButterworthDesign.BandPass(3, 20, 80, Rate).Sections, bandPass.Sections);
        Assert.Equal(ButterworthDesign.Notch(50, 10, Rate).Sections, notch.Sections);
    }
}
