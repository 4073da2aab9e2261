using System.Numerics;

namespace SsdEdge.Dsp;

/// <summary>
/// Coefficients of one second-order IIR section,
/// H(z) = (B0 + B1 z⁻¹ + B2 z⁻²) / (1 + A1 z⁻¹ + A2 z⁻²); a first-order section has B2 = A2 = 0.
/// </summary>
/// <param name="B0">Numerator coefficient of z⁰.</param>
/// <param name="B1">Numerator coefficient of z⁻¹.</param>
/// <param name="B2">Numerator coefficient of z⁻².</param>
/// <param name="A1">Denominator coefficient of z⁻¹ (the z⁰ coefficient is 1).</param>
/// <param name="A2">Denominator coefficient of z⁻².</param>
public readonly record struct Biquad(double B0, double B1, double B2, double A1, double A2)
{
    /// <summary>Gain at 0 Hz.</summary>
    public double DcGain => (B0 + B1 + B2) / (1 + A1 + A2);

    /// <summary>Returns the complex frequency response at <paramref name="frequencyHz"/>.</summary>
    public Complex Response(double frequencyHz, double sampleRateHz)
    {
        var delay = Complex.FromPolarCoordinates(1, -2 * Math.PI * frequencyHz / sampleRateHz);
        var delay2 = delay * delay;
        return (B0 + (B1 * delay) + (B2 * delay2)) / (1 + (A1 * delay) + (A2 * delay2));
    }

    /// <summary>Returns this section with its numerator multiplied by <paramref name="gain"/>.</summary>
    public Biquad Scale(double gain) => this with { B0 = B0 * gain, B1 = B1 * gain, B2 = B2 * gain };
}
