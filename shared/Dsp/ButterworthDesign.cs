using System.Numerics;
using SsdEdge.Preprocessing;

namespace SsdEdge.Dsp;

/// <summary>
/// Designs Butterworth low-pass, high-pass and band-pass filters and a second-order notch as
/// second-order sections, by the bilinear transform with the edge frequencies pre-warped so the
/// digital filter meets them exactly.
/// </summary>
/// <remarks>
/// Low-pass and high-pass filters have gain 1/√2 (-3.01 dB) at the cut-off. A band-pass filter of
/// order N has order 2N, gain 1/√2 at both edges and gain 1 at the centre frequency, which is the
/// geometric mean of the pre-warped edges. All coefficients are computed in double precision.
/// </remarks>
public static class ButterworthDesign
{
    /// <summary>Highest Butterworth order supported.</summary>
    public const int MaxOrder = 8;

    /// <summary>Designs a low-pass filter of <paramref name="order"/> with its -3 dB point at
    /// <paramref name="cutoffHz"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The order is outside 1 to 8, the rate is not
    /// positive, or the cut-off is not strictly between 0 Hz and half the rate.</exception>
    public static SosFilter LowPass(int order, double cutoffHz, double sampleRateHz) =>
        new(DesignLowOrHighPass(order, cutoffHz, sampleRateHz, highPass: false));

    /// <summary>Designs a high-pass filter of <paramref name="order"/> with its -3 dB point at
    /// <paramref name="cutoffHz"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The order is outside 1 to 8, the rate is not
    /// positive, or the cut-off is not strictly between 0 Hz and half the rate.</exception>
    public static SosFilter HighPass(int order, double cutoffHz, double sampleRateHz) =>
        new(DesignLowOrHighPass(order, cutoffHz, sampleRateHz, highPass: true));

    /// <summary>
    /// Designs a band-pass filter from a low-pass prototype of <paramref name="order"/>, giving
    /// <paramref name="order"/> sections, with -3 dB points at the two edges.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The order is outside 1 to 8, the rate is not
    /// positive, an edge is not strictly between 0 Hz and half the rate, or the low edge is not
    /// below the high edge.</exception>
    public static SosFilter BandPass(int order, double lowCutoffHz, double highCutoffHz, double sampleRateHz)
    {
        ValidateOrder(order);
        ValidateRate(sampleRateHz);
        ValidateCutoff(lowCutoffHz, sampleRateHz, nameof(lowCutoffHz));
        ValidateCutoff(highCutoffHz, sampleRateHz, nameof(highCutoffHz));
        if (highCutoffHz <= lowCutoffHz)
        {
            throw new ArgumentOutOfRangeException(
                nameof(highCutoffHz),
                highCutoffHz,
                $"Band-pass high cut-off {highCutoffHz} Hz must be above the low cut-off {lowCutoffHz} Hz.");
        }

        // Analog edges on the pre-warped axis of s = (1 - z⁻¹) / (1 + z⁻¹).
        var lowEdge = Math.Tan(Math.PI * lowCutoffHz / sampleRateHz);
        var highEdge = Math.Tan(Math.PI * highCutoffHz / sampleRateHz);
        var centerSquared = lowEdge * highEdge;
        var bandwidth = highEdge - lowEdge;
        var centerHz = Math.Atan(Math.Sqrt(centerSquared)) * sampleRateHz / Math.PI;

        // Each prototype pole p maps to the roots of s² - p B s + ω0² = 0 (low-pass to band-pass).
        // Poles of the upper half plane give two conjugate pairs; the real pole of an odd order
        // gives one real-coefficient pair.
        var sections = new List<Biquad>(order);
        for (var k = 0; k < order; k++)
        {
            var pole = PrototypePole(order, k);
            if (pole.Imaginary < -1e-12)
            {
                continue;
            }

            var discriminant = Complex.Sqrt((pole * pole * bandwidth * bandwidth) - (4 * centerSquared));
            var first = ((pole * bandwidth) + discriminant) / 2;
            var second = ((pole * bandwidth) - discriminant) / 2;
            if (Math.Abs(pole.Imaginary) <= 1e-12)
            {
                sections.Add(BandPassSection(Bilinear(first), Bilinear(second), centerHz, sampleRateHz));
            }
            else
            {
                sections.Add(BandPassSection(
                    Bilinear(first), Complex.Conjugate(Bilinear(first)), centerHz, sampleRateHz));
                sections.Add(BandPassSection(
                    Bilinear(second), Complex.Conjugate(Bilinear(second)), centerHz, sampleRateHz));
            }
        }

        return new SosFilter(sections);
    }

    /// <summary>
    /// Designs a second-order notch with zero gain at <paramref name="centerHz"/> and gain 1 at
    /// 0 Hz and half the rate. Its analog prototype has -3 dB points
    /// <paramref name="centerHz"/> / <paramref name="qualityFactor"/> apart.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not positive, the centre is not
    /// strictly between 0 Hz and half the rate, or the quality factor is not positive.</exception>
    public static SosFilter Notch(double centerHz, double qualityFactor, double sampleRateHz)
    {
        ValidateRate(sampleRateHz);
        ValidateCutoff(centerHz, sampleRateHz, nameof(centerHz));
        if (!double.IsFinite(qualityFactor) || qualityFactor <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(qualityFactor), qualityFactor, $"Notch quality factor {qualityFactor} must be positive.");
        }

        var omega = 2 * Math.PI * centerHz / sampleRateHz;
        var alpha = Math.Sin(omega) / (2 * qualityFactor);
        var norm = 1 / (1 + alpha);
        var cosine = Math.Cos(omega);
        var section = new Biquad(
            B0: norm,
            B1: -2 * cosine * norm,
            B2: norm,
            A1: -2 * cosine * norm,
            A2: (1 - alpha) * norm);
        return new SosFilter([section]);
    }

    /// <summary>Designs the filter <paramref name="spec"/> describes, for samples at
    /// <paramref name="sampleRateHz"/>.</summary>
    /// <exception cref="ArgumentException">A band-pass lacks its high cut-off, or the kind is unknown.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range, as for the
    /// specific design methods.</exception>
    public static SosFilter FromSpec(FilterSpec spec, double sampleRateHz)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Kind switch
        {
            FilterKind.LowPass => LowPass(spec.Order, spec.CutoffHz, sampleRateHz),
            FilterKind.HighPass => HighPass(spec.Order, spec.CutoffHz, sampleRateHz),
            FilterKind.BandPass => BandPass(
                spec.Order,
                spec.CutoffHz,
                spec.HighCutoffHz ?? throw new ArgumentException(
                    $"Band-pass filter on '{spec.Channel}' has no high cut-off; set HighCutoffHz.",
                    nameof(spec)),
                sampleRateHz),
            FilterKind.Notch => Notch(spec.CutoffHz, spec.QualityFactor, sampleRateHz),
            _ => throw new ArgumentException($"Filter kind {spec.Kind} is not supported.", nameof(spec)),
        };
    }

    private static List<Biquad> DesignLowOrHighPass(int order, double cutoffHz, double sampleRateHz, bool highPass)
    {
        ValidateOrder(order);
        ValidateRate(sampleRateHz);
        ValidateCutoff(cutoffHz, sampleRateHz, nameof(cutoffHz));

        // Pre-warped cut-off on the axis of s = (1 - z⁻¹) / (1 + z⁻¹).
        var k = Math.Tan(Math.PI * cutoffHz / sampleRateHz);
        var sections = new List<Biquad>((order + 1) / 2);
        if (order % 2 == 1)
        {
            var norm = 1 / (1 + k);
            sections.Add(highPass
                ? new Biquad(norm, -norm, 0, (k - 1) * norm, 0)
                : new Biquad(k * norm, k * norm, 0, (k - 1) * norm, 0));
        }

        // Conjugate prototype poles at angle π (2i + 1 + N mod 2) / (2N) from the negative real
        // axis give sections s² + s / Q + 1 with Q = 1 / (2 cos(angle)).
        for (var i = 0; i < order / 2; i++)
        {
            var angle = Math.PI * ((2 * i) + 1 + (order % 2)) / (2 * order);
            var quality = 1 / (2 * Math.Cos(angle));
            var norm = 1 / (1 + (k / quality) + (k * k));
            var a1 = 2 * ((k * k) - 1) * norm;
            var a2 = (1 - (k / quality) + (k * k)) * norm;
            sections.Add(highPass
                ? new Biquad(norm, -2 * norm, norm, a1, a2)
                : new Biquad(k * k * norm, 2 * k * k * norm, k * k * norm, a1, a2));
        }

        return sections;
    }

    // Pole k of the normalised analog Butterworth low-pass of this order, in the left half plane.
    private static Complex PrototypePole(int order, int k) =>
        Complex.FromPolarCoordinates(1, Math.PI * ((2 * k) + order + 1) / (2 * order));

    private static Complex Bilinear(Complex s) => (1 + s) / (1 - s);

    // A section with zeros at z = 1 and z = -1 and the given poles, scaled to gain 1 at the centre.
    private static Biquad BandPassSection(Complex pole1, Complex pole2, double centerHz, double sampleRateHz)
    {
        var section = new Biquad(1, 0, -1, -(pole1 + pole2).Real, (pole1 * pole2).Real);
        return section.Scale(1 / section.Response(centerHz, sampleRateHz).Magnitude);
    }

    private static void ValidateOrder(int order)
    {
        if (order is < 1 or > MaxOrder)
        {
            throw new ArgumentOutOfRangeException(
                nameof(order), order, $"Butterworth order {order} is outside the supported range 1 to {MaxOrder}.");
        }
    }

    private static void ValidateRate(double sampleRateHz)
    {
        if (!double.IsFinite(sampleRateHz) || sampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(sampleRateHz), sampleRateHz, $"Sample rate {sampleRateHz} Hz must be positive and finite.");
        }
    }

    private static void ValidateCutoff(double frequencyHz, double sampleRateHz, string paramName)
    {
        var nyquistHz = sampleRateHz / 2;
        if (!(frequencyHz > 0 && frequencyHz < nyquistHz))
        {
            throw new ArgumentOutOfRangeException(
                paramName,
                frequencyHz,
                $"Cut-off {frequencyHz} Hz is outside the allowed range: at a sample rate of "
                + $"{sampleRateHz} Hz it must lie strictly between 0 Hz and {nyquistHz} Hz (half the rate).");
        }
    }
}
