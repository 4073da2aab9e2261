namespace SsdEdge.Dsp;

/// <summary>
/// Converts a whole block from one sampling rate to another by the rational factor
/// <see cref="Up"/>/<see cref="Down"/>, with a polyphase Kaiser-windowed-sinc anti-aliasing
/// low-pass.
/// </summary>
/// <remarks>
/// <para>
/// The rates reduce by their greatest common divisor, so 100 Hz to 512 Hz is up 128, down 25.
/// The low-pass, designed at the upsampled rate, passes up to 0.8 of the lower of the two
/// Nyquist frequencies. Its Kaiser window (β = 7.86) is sized for 80 dB of attenuation from that
/// Nyquist frequency up and a pass-band ripple of about 1e-4. Each polyphase branch is scaled to
/// unit sum, so a constant input stays exactly constant.
/// </para>
/// <para>
/// Output is zero-phase: output sample <c>k</c> is the filtered signal at input time
/// <c>k * Down / Up</c> samples. Samples the filter needs beyond either edge are made by odd
/// reflection about the edge sample (<c>x[-j] = 2 x[0] - x[j]</c>), which continues both the
/// level and the slope; past a full reflection the far value is held.
/// </para>
/// <para>
/// An instance keeps a scratch buffer that grows to the longest block seen, so calls on
/// equal-length blocks do not allocate. Not thread-safe; use one instance per worker.
/// </para>
/// </remarks>
public sealed class RationalResampler
{
    /// <summary>Largest reduced up or down factor accepted; larger ones need huge filter tables.</summary>
    public const int MaxFactor = 4096;

    private const double StopbandAttenuationDb = 80;

    // Fraction of the lower Nyquist frequency where the pass band ends; the stop band starts at 1.
    private const double PassbandEdge = 0.8;

    // Polyphase taps, phase-major: branch p holds _taps[p * TapsPerPhase .. (p + 1) * TapsPerPhase).
    private readonly double[] _taps;
    private readonly int _halfTaps;
    private float[] _padded = [];

    /// <summary>Creates a resampler from <paramref name="inputRateHz"/> to <paramref name="outputRateHz"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate is not positive and finite.</exception>
    /// <exception cref="ArgumentException">The rates are not multiples of 0.001 Hz, or their reduced
    /// ratio has a factor above <see cref="MaxFactor"/>.</exception>
    public RationalResampler(double inputRateHz, double outputRateHz)
    {
        ValidateRate(inputRateHz, nameof(inputRateHz));
        ValidateRate(outputRateHz, nameof(outputRateHz));

        InputRateHz = inputRateHz;
        OutputRateHz = outputRateHz;
        (Up, Down) = ReduceRatio(inputRateHz, outputRateHz);
        if (Up == Down)
        {
            _taps = [];
            TapsPerPhase = 1;
            return;
        }

        _halfTaps = HalfTapsPerPhase(Up, Down);
        TapsPerPhase = (2 * _halfTaps) + 1;
        _taps = DesignPolyphaseTaps(Up, Down, _halfTaps);
    }

    /// <summary>Rate of the input, in Hz.</summary>
    public double InputRateHz { get; }

    /// <summary>Rate of the output, in Hz.</summary>
    public double OutputRateHz { get; }

    /// <summary>Upsampling factor after reduction by the greatest common divisor.</summary>
    public int Up { get; }

    /// <summary>Downsampling factor after reduction by the greatest common divisor.</summary>
    public int Down { get; }

    /// <summary>Input samples that each output sample is computed from (1 when the rates are equal).</summary>
    public int TapsPerPhase { get; }

    /// <summary>Returns the output length for <paramref name="inputLength"/> input samples:
    /// round(inputLength × Up / Down), halves rounded up.</summary>
    public int OutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        return checked((int)(((2L * inputLength * Up) + Down) / (2L * Down)));
    }

    /// <summary>
    /// Resamples <paramref name="input"/> into <paramref name="output"/>, whose sample <c>k</c> is
    /// the signal at input time <c>k * Down / Up</c>.
    /// </summary>
    /// <remarks>
    /// <paramref name="output"/> is normally <see cref="OutputLength"/> long, but any length is
    /// accepted: output past the end of the input is taken from the edge extension.
    /// </remarks>
    /// <exception cref="ArgumentException">The input is empty while output is requested, or the
    /// spans overlap.</exception>
    public void Resample(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.IsEmpty)
        {
            return;
        }

        if (input.IsEmpty)
        {
            throw new ArgumentException(
                $"Cannot resample an empty input into {output.Length} output samples.", nameof(input));
        }

        if (input.Overlaps(output))
        {
            throw new ArgumentException("Input and output of a resampler must not overlap.", nameof(output));
        }

        if (Up == Down)
        {
            ResampleIdentity(input, output);
            return;
        }

        var lastInputIndex = (long)(output.Length - 1) * Down / Up;
        var padLeft = _halfTaps;
        var padRight = (int)Math.Max(0, lastInputIndex + _halfTaps - (input.Length - 1));
        var padded = FillPadded(input, padLeft, padRight);

        for (var k = 0; k < output.Length; k++)
        {
            var position = (long)k * Down;
            var q = (int)(position / Up);
            var phase = (int)(position - ((long)q * Up));
            var taps = _taps.AsSpan(phase * TapsPerPhase, TapsPerPhase);

            // taps[i + halfTaps] weighs input q - i, for i in [-halfTaps, halfTaps]; in the padded
            // buffer input j sits at j + padLeft, so tap index t reads padded[q + padLeft + halfTaps - t].
            var newest = q + padLeft + _halfTaps;
            var sum = 0.0;
            for (var t = 0; t < taps.Length; t++)
            {
                sum += taps[t] * padded[newest - t];
            }

            output[k] = (float)sum;
        }
    }

    /// <summary>Returns <paramref name="input"/> resampled to exactly
    /// <see cref="OutputLength"/>(input.Length) samples.</summary>
    public float[] Resample(float[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var output = new float[OutputLength(input.Length)];
        Resample(input, output);
        return output;
    }

    private static void ResampleIdentity(ReadOnlySpan<float> input, Span<float> output)
    {
        var copied = Math.Min(input.Length, output.Length);
        input[..copied].CopyTo(output);
        for (var k = copied; k < output.Length; k++)
        {
            output[k] = ReflectedSample(input, k);
        }
    }

    private Span<float> FillPadded(ReadOnlySpan<float> input, int padLeft, int padRight)
    {
        var length = padLeft + input.Length + padRight;
        if (_padded.Length < length)
        {
            _padded = new float[length];
        }

        var padded = _padded.AsSpan(0, length);
        for (var i = 0; i < padLeft; i++)
        {
            padded[i] = ReflectedSample(input, i - padLeft);
        }

        input.CopyTo(padded[padLeft..]);
        for (var i = 0; i < padRight; i++)
        {
            padded[padLeft + input.Length + i] = ReflectedSample(input, input.Length + i);
        }

        return padded;
    }

    // Odd reflection about the nearer edge sample, holding the far value beyond a full reflection.
    private static float ReflectedSample(ReadOnlySpan<float> input, long index)
    {
        var last = input.Length - 1;
        if (index < 0)
        {
            var mirror = (int)Math.Min(-index, last);
            return (2 * input[0]) - input[mirror];
        }

        if (index > last)
        {
            var mirror = (int)Math.Max((2L * last) - index, 0);
            return (2 * input[last]) - input[mirror];
        }

        return input[(int)index];
    }

    private static int HalfTapsPerPhase(int up, int down)
    {
        // Kaiser's estimate of the filter length for a transition band of
        // (1 - PassbandEdge) of the lower Nyquist frequency, in cycles per upsampled sample.
        var maxFactor = Math.Max(up, down);
        var transition = (1 - PassbandEdge) * 0.5 / maxFactor;
        var length = (StopbandAttenuationDb - 7.95) / (14.36 * transition);
        return (int)Math.Ceiling(length / 2 / up);
    }

    private static double[] DesignPolyphaseTaps(int up, int down, int halfTaps)
    {
        var maxFactor = Math.Max(up, down);

        // Cut-off halfway through the transition band, in cycles per upsampled sample.
        var cutoff = (1 + PassbandEdge) / 2 * 0.5 / maxFactor;
        var beta = 0.1102 * (StopbandAttenuationDb - 8.7);
        var halfLength = (double)halfTaps * up;
        var besselBeta = BesselI0(beta);
        var tapsPerPhase = (2 * halfTaps) + 1;
        var taps = new double[up * tapsPerPhase];

        for (var phase = 0; phase < up; phase++)
        {
            var branch = taps.AsSpan(phase * tapsPerPhase, tapsPerPhase);
            var sum = 0.0;
            for (var i = -halfTaps; i <= halfTaps; i++)
            {
                // Kernel offset, in upsampled samples, between output time and input sample q - i.
                var m = phase + ((double)i * up);
                var value = 0.0;
                if (Math.Abs(m) <= halfLength)
                {
                    var ratio = m / halfLength;
                    var window = BesselI0(beta * Math.Sqrt(1 - (ratio * ratio))) / besselBeta;
                    value = 2 * cutoff * Sinc(2 * cutoff * m) * window;
                }

                branch[i + halfTaps] = value;
                sum += value;
            }

            for (var t = 0; t < branch.Length; t++)
            {
                branch[t] /= sum;
            }
        }

        return taps;
    }

    private static double Sinc(double x) => x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);

    // Modified Bessel function of the first kind, order 0, by its power series.
    private static double BesselI0(double x)
    {
        var sum = 1.0;
        var term = 1.0;
        var halfX = x / 2;
        for (var k = 1; k < 500; k++)
        {
            term *= halfX / k * (halfX / k);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }

    private static void ValidateRate(double rateHz, string paramName)
    {
        if (!double.IsFinite(rateHz) || rateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(
                paramName, rateHz, $"A sampling rate must be positive and finite; got {rateHz} Hz.");
        }
    }

    private static (int Up, int Down) ReduceRatio(double inputRateHz, double outputRateHz)
    {
        for (var scale = 1.0; scale <= 1000; scale *= 10)
        {
            var input = Math.Round(inputRateHz * scale);
            var output = Math.Round(outputRateHz * scale);
            if (Math.Abs((inputRateHz * scale) - input) > 1e-9 * input
                || Math.Abs((outputRateHz * scale) - output) > 1e-9 * output
                || input > long.MaxValue / 2 || output > long.MaxValue / 2)
            {
                continue;
            }

            var divisor = GreatestCommonDivisor((long)input, (long)output);
            var up = (long)output / divisor;
            var down = (long)input / divisor;
            if (up > MaxFactor || down > MaxFactor)
            {
                throw new ArgumentException(
                    $"Resampling from {inputRateHz} Hz to {outputRateHz} Hz needs the ratio {up}/{down}, "
                    + $"whose factors exceed the supported {MaxFactor}; pick rates with a simpler ratio.",
                    nameof(outputRateHz));
            }

            return ((int)up, (int)down);
        }

        throw new ArgumentException(
            $"Resampling from {inputRateHz} Hz to {outputRateHz} Hz is not supported: both rates "
            + "must be multiples of 0.001 Hz so that their ratio is rational.",
            nameof(inputRateHz));
    }

    private static long GreatestCommonDivisor(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
