using System.Numerics;

namespace SsdEdge.Dsp;

/// <summary>
/// IIR filter made of cascaded second-order sections, computed in double precision in transposed
/// direct form II. It filters a stream causally, keeping state between calls
/// (<see cref="Process(ReadOnlySpan{float}, Span{float})"/>), or a whole window without phase
/// shift (<see cref="FilterWindow(ReadOnlySpan{float}, Span{float})"/>).
/// </summary>
/// <remarks>
/// <see cref="FilterWindow(ReadOnlySpan{float}, Span{float})"/> neither reads nor changes the
/// stream state. Its scratch buffer grows to the longest window seen, so calls on equal-length
/// windows do not allocate. Not thread-safe; use one instance per worker.
/// </remarks>
public sealed class SosFilter
{
    private readonly Biquad[] _sections;

    // Stream state, two values per section.
    private readonly double[] _state;

    // Per section, the state after a unit constant input has run forever (steady state).
    private readonly double[] _unitSteadyState;
    private double[] _padded = [];

    /// <summary>Creates a filter from <paramref name="sections"/>, applied in order.</summary>
    /// <exception cref="ArgumentException">No sections are given, or a coefficient is not finite.</exception>
    public SosFilter(IEnumerable<Biquad> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        _sections = [.. sections];
        if (_sections.Length == 0)
        {
            throw new ArgumentException("A filter needs at least one second-order section.", nameof(sections));
        }

        foreach (var section in _sections)
        {
            if (!double.IsFinite(section.B0) || !double.IsFinite(section.B1) || !double.IsFinite(section.B2)
                || !double.IsFinite(section.A1) || !double.IsFinite(section.A2))
            {
                throw new ArgumentException(
                    $"Section {section} has a coefficient that is not finite.", nameof(sections));
            }
        }

        _state = new double[2 * _sections.Length];
        _unitSteadyState = ComputeUnitSteadyState(_sections);
        EdgePadding = ComputeEdgePadding(_sections);
    }

    /// <summary>Sections in the order they are applied.</summary>
    public IReadOnlyList<Biquad> Sections => _sections;

    /// <summary>
    /// Samples added at each end of a window by odd reflection before zero-phase filtering. It is
    /// the larger of three times the nominal order (two per section) and the number of samples the
    /// slowest pole needs to decay to 1e-3. Each window caps it at its length minus one.
    /// </summary>
    public int EdgePadding { get; }

    /// <summary>Returns the complex frequency response of the cascade at <paramref name="frequencyHz"/>.</summary>
    public Complex Response(double frequencyHz, double sampleRateHz)
    {
        var response = Complex.One;
        foreach (var section in _sections)
        {
            response *= section.Response(frequencyHz, sampleRateHz);
        }

        return response;
    }

    /// <summary>Filters one sample of the stream.</summary>
    public float Process(float sample)
    {
        double value = sample;
        for (var s = 0; s < _sections.Length; s++)
        {
            value = Step(in _sections[s], value, ref _state[2 * s], ref _state[(2 * s) + 1]);
        }

        return (float)value;
    }

    /// <summary>Filters the next block of the stream; <paramref name="input"/> and
    /// <paramref name="output"/> may be the same span.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        RequireSameLength(input, output);
        for (var t = 0; t < input.Length; t++)
        {
            output[t] = Process(input[t]);
        }
    }

    /// <summary>Filters the next block of the stream into a new array.</summary>
    public float[] Process(float[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var output = new float[input.Length];
        Process(input, output);
        return output;
    }

    /// <summary>Clears the stream state, as if no sample had been filtered.</summary>
    public void Reset() => Array.Clear(_state);

    /// <summary>
    /// Filters a whole window forward and then backward, so the result has no phase shift and the
    /// squared magnitude response of the cascade. <paramref name="input"/> and
    /// <paramref name="output"/> may be the same span.
    /// </summary>
    /// <remarks>
    /// Before filtering, the window is extended at each end by <see cref="EdgePadding"/> samples of
    /// odd reflection about the edge sample (<c>x[-j] = 2 x[0] - x[j]</c>), and each pass starts
    /// from the steady state for a constant input equal to its first sample. A constant window is
    /// therefore returned as its DC gain squared times the constant, with no edge transient.
    /// </remarks>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public void FilterWindow(ReadOnlySpan<float> input, Span<float> output)
    {
        RequireSameLength(input, output);
        if (input.IsEmpty)
        {
            return;
        }

        var n = input.Length;
        var pad = Math.Min(EdgePadding, n - 1);
        var length = n + (2 * pad);
        if (_padded.Length < length)
        {
            _padded = new double[length];
        }

        var padded = _padded.AsSpan(0, length);
        double first = input[0];
        double last = input[n - 1];
        for (var i = 0; i < pad; i++)
        {
            padded[i] = (2 * first) - input[pad - i];
            padded[pad + n + i] = (2 * last) - input[n - 2 - i];
        }

        for (var t = 0; t < n; t++)
        {
            padded[pad + t] = input[t];
        }

        RunPass(padded);
        padded.Reverse();
        RunPass(padded);
        padded.Reverse();

        for (var t = 0; t < n; t++)
        {
            output[t] = (float)padded[pad + t];
        }
    }

    /// <summary>Filters a whole window without phase shift into a new array.</summary>
    public float[] FilterWindow(float[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var output = new float[input.Length];
        FilterWindow(input, output);
        return output;
    }

    // Runs the cascade over the buffer in place, section by section, starting from the steady
    // state for a constant input equal to the first sample.
    private void RunPass(Span<double> buffer)
    {
        var initialLevel = buffer[0];
        for (var s = 0; s < _sections.Length; s++)
        {
            var z1 = _unitSteadyState[2 * s] * initialLevel;
            var z2 = _unitSteadyState[(2 * s) + 1] * initialLevel;
            var section = _sections[s];
            for (var t = 0; t < buffer.Length; t++)
            {
                buffer[t] = Step(in section, buffer[t], ref z1, ref z2);
            }
        }
    }

    private static double Step(in Biquad section, double input, ref double z1, ref double z2)
    {
        var output = (section.B0 * input) + z1;
        z1 = (section.B1 * input) - (section.A1 * output) + z2;
        z2 = (section.B2 * input) - (section.A2 * output);
        return output;
    }

    private static int ComputeEdgePadding(Biquad[] sections)
    {
        var slowestRadius = 0.0;
        foreach (var section in sections)
        {
            // Poles are the roots of z² + A1 z + A2.
            var root = Complex.Sqrt((section.A1 * section.A1) - (4 * section.A2));
            slowestRadius = Math.Max(slowestRadius, ((-section.A1 + root) / 2).Magnitude);
            slowestRadius = Math.Max(slowestRadius, ((-section.A1 - root) / 2).Magnitude);
        }

        var padding = 6 * sections.Length;
        if (slowestRadius is > 0 and < 1)
        {
            var decaySamples = Math.Ceiling(Math.Log(1e-3) / Math.Log(slowestRadius));
            padding = (int)Math.Max(padding, Math.Min(decaySamples, 1 << 24));
        }

        return padding;
    }

    private static double[] ComputeUnitSteadyState(Biquad[] sections)
    {
        // For a constant input v, a section's output settles at g v (g its DC gain), and its
        // transposed direct form II state at z2 = (B2 - A2 g) v, z1 = (B1 - A1 g) v + z2.
        var state = new double[2 * sections.Length];
        var level = 1.0;
        for (var s = 0; s < sections.Length; s++)
        {
            var section = sections[s];
            var gain = section.DcGain;
            if (!double.IsFinite(gain))
            {
                // A pole at z = 1 has no steady state; such a cascade starts from rest.
                return new double[2 * sections.Length];
            }

            var z2 = (section.B2 - (section.A2 * gain)) * level;
            var z1 = ((section.B1 - (section.A1 * gain)) * level) + z2;
            state[2 * s] = z1;
            state[(2 * s) + 1] = z2;
            level *= gain;
        }

        return state;
    }

    private static void RequireSameLength(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != output.Length)
        {
            throw new ArgumentException(
                $"Output holds {output.Length} samples but input holds {input.Length}; they must match.",
                nameof(output));
        }
    }
}
