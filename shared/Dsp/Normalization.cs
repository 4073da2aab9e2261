using SsdEdge.Preprocessing;

namespace SsdEdge.Dsp;

/// <summary>Per-window normalisation of one channel, or of each channel of a channel-major window.</summary>
/// <remarks>
/// Statistics are computed in double precision. A channel whose spread is below
/// <see cref="MinSpread"/> (its standard deviation for z-score, its range for min-max) is
/// mapped to zeros, never to NaN or infinity.
/// </remarks>
public static class Normalization
{
    /// <summary>Spread, in the channel's raw unit, below which a channel counts as constant.</summary>
    public const double MinSpread = 1e-12;

    /// <summary>Normalises <paramref name="samples"/> in place.</summary>
    public static void Apply(NormalizationKind kind, Span<float> samples)
    {
        switch (kind)
        {
            case NormalizationKind.None:
                return;
            case NormalizationKind.ZScore:
                ApplyZScore(samples);
                return;
            case NormalizationKind.MinMax:
                ApplyMinMax(samples);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Normalisation {kind} is not supported.");
        }
    }

    /// <summary>Writes <paramref name="input"/> normalised to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void Apply(NormalizationKind kind, ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != output.Length)
        {
            throw new ArgumentException(
                $"Output holds {output.Length} samples but input holds {input.Length}; they must match.",
                nameof(output));
        }

        input.CopyTo(output);
        Apply(kind, output);
    }

    /// <summary>Normalises each of <paramref name="channelCount"/> channels of a channel-major
    /// window in place.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of the channel count.</exception>
    public static void ApplyPerChannel(NormalizationKind kind, Span<float> channelMajor, int channelCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channelCount);
        if (channelMajor.Length % channelCount != 0)
        {
            throw new ArgumentException(
                $"Window holds {channelMajor.Length} values, which is not a multiple of the {channelCount} channels.",
                nameof(channelMajor));
        }

        var length = channelMajor.Length / channelCount;
        for (var c = 0; c < channelCount; c++)
        {
            Apply(kind, channelMajor.Slice(c * length, length));
        }
    }

    private static void ApplyZScore(Span<float> samples)
    {
        if (samples.IsEmpty)
        {
            return;
        }

        var sum = 0.0;
        foreach (var value in samples)
        {
            sum += value;
        }

        var mean = sum / samples.Length;
        var squares = 0.0;
        foreach (var value in samples)
        {
            var deviation = value - mean;
            squares += deviation * deviation;
        }

        var standardDeviation = Math.Sqrt(squares / samples.Length);
        if (!(standardDeviation >= MinSpread))
        {
            samples.Clear();
            return;
        }

        var scale = 1 / standardDeviation;
        for (var t = 0; t < samples.Length; t++)
        {
            samples[t] = (float)((samples[t] - mean) * scale);
        }
    }

    private static void ApplyMinMax(Span<float> samples)
    {
        if (samples.IsEmpty)
        {
            return;
        }

        double min = samples[0];
        double max = samples[0];
        foreach (var value in samples)
        {
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        var range = max - min;
        if (!(range >= MinSpread))
        {
            samples.Clear();
            return;
        }

        var scale = 1 / range;
        for (var t = 0; t < samples.Length; t++)
        {
            samples[t] = (float)((samples[t] - min) * scale);
        }
    }
}
