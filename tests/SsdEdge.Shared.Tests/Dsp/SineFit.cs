namespace SsdEdge.Tests.Dsp;

/// <summary>Test signals and a least-squares fit of a sine of known frequency.</summary>
internal static class SineFit
{
    public static float[] Sine(int length, double frequencyHz, double sampleRateHz, double amplitude = 1)
    {
        var samples = new float[length];
        for (var t = 0; t < length; t++)
        {
            samples[t] = (float)(amplitude * Math.Sin(2 * Math.PI * frequencyHz * t / sampleRateHz));
        }

        return samples;
    }

    /// <summary>
    /// Fits x[t] ≈ A sin(2π f t / rate + φ) over [start, start + count) by least squares on a sine
    /// and a cosine, and returns A and φ (radians).
    /// </summary>
    public static (double Amplitude, double Phase) Fit(
        ReadOnlySpan<float> samples, double frequencyHz, double sampleRateHz, int start, int count)
    {
        double cc = 0, cs = 0, ss = 0, xc = 0, xs = 0;
        for (var t = start; t < start + count; t++)
        {
            var angle = 2 * Math.PI * frequencyHz * t / sampleRateHz;
            var cos = Math.Cos(angle);
            var sin = Math.Sin(angle);
            cc += cos * cos;
            cs += cos * sin;
            ss += sin * sin;
            xc += samples[t] * cos;
            xs += samples[t] * sin;
        }

        var determinant = (cc * ss) - (cs * cs);
        var cosWeight = ((xc * ss) - (xs * cs)) / determinant;
        var sinWeight = ((xs * cc) - (xc * cs)) / determinant;
        return (Math.Sqrt((cosWeight * cosWeight) + (sinWeight * sinWeight)), Math.Atan2(cosWeight, sinWeight));
    }

    public static double Decibels(double gain) => 20 * Math.Log10(gain);
}
