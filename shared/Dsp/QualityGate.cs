using SsdEdge.Preprocessing;

namespace SsdEdge.Dsp;

/// <summary>
/// Checks a raw channel-major window against <see cref="QualityGateOptions"/> and reports every
/// failed check with a quality score.
/// </summary>
/// <remarks>
/// <para>
/// Per channel it measures: NaN and infinite samples; the longest run of identical consecutive
/// samples (a run of r samples lasts r / rate seconds); the longest run of samples equal to the
/// channel's finite minimum or maximum; and the population standard deviation of the finite
/// samples. A channel that is constant is also one long clipping run.
/// </para>
/// <para>
/// Each enabled check scores 1 when its measure is at most half its limit (for the standard
/// deviation, at least twice its floor), 0 at the limit, and linearly in between; the
/// non-finite check with a limit of 0 scores 1 or 0. <see cref="QualityReport.Score"/> is the
/// smallest score over checks and channels, and 0 for a rejected window.
/// </para>
/// <para>Allocates nothing per call; immutable and thread-safe.</para>
/// </remarks>
public sealed class QualityGate
{
    private readonly QualityGateOptions _options;

    /// <summary>Creates a gate for samples at <paramref name="sampleRateHz"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not positive, or a limit is
    /// negative or not finite.</exception>
    public QualityGate(QualityGateOptions options, double sampleRateHz)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!double.IsFinite(sampleRateHz) || sampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(sampleRateHz), sampleRateHz, $"Sample rate {sampleRateHz} Hz must be positive and finite.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxNonFinite, nameof(options));
        RequireLimit(options.MaxFlatLineSeconds, nameof(QualityGateOptions.MaxFlatLineSeconds), nameof(options));
        RequireLimit(options.MaxClippingSeconds, nameof(QualityGateOptions.MaxClippingSeconds), nameof(options));
        RequireLimit(
            options.MinStandardDeviation, nameof(QualityGateOptions.MinStandardDeviation), nameof(options));
        _options = options;
        SampleRateHz = sampleRateHz;
    }

    /// <summary>Rate of the samples checked, in Hz.</summary>
    public double SampleRateHz { get; }

    /// <summary>Checks a channel-major window of <paramref name="channelCount"/> channels.</summary>
    /// <exception cref="ArgumentException">The window is empty or its length is not a multiple of
    /// the channel count.</exception>
    public QualityReport Evaluate(ReadOnlySpan<float> channelMajor, int channelCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channelCount);
        if (channelMajor.IsEmpty || channelMajor.Length % channelCount != 0)
        {
            throw new ArgumentException(
                $"Window holds {channelMajor.Length} values; expected a positive multiple of the "
                + $"{channelCount} channels.",
                nameof(channelMajor));
        }

        var length = channelMajor.Length / channelCount;
        var issues = QualityIssues.None;
        var worstChannel = -1;
        var nonFiniteTotal = 0;
        var score = 1.0;
        for (var c = 0; c < channelCount; c++)
        {
            var (channelIssues, nonFinite, channelScore) = EvaluateChannel(channelMajor.Slice(c * length, length));
            nonFiniteTotal += nonFinite;
            score = Math.Min(score, channelScore);
            if (channelIssues != QualityIssues.None && worstChannel < 0)
            {
                worstChannel = c;
            }

            issues |= channelIssues;
        }

        if (issues != QualityIssues.None)
        {
            score = 0;
        }

        return new QualityReport(issues, worstChannel, nonFiniteTotal, score);
    }

    /// <summary>Checks a single channel.</summary>
    /// <exception cref="ArgumentException">The channel is empty.</exception>
    public QualityReport Evaluate(ReadOnlySpan<float> samples) => Evaluate(samples, 1);

    private (QualityIssues Issues, int NonFinite, double Score) EvaluateChannel(ReadOnlySpan<float> samples)
    {
        var nonFinite = 0;
        var finiteCount = 0;
        var sum = 0.0;
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        var longestFlat = 0;
        var flat = 0;
        for (var t = 0; t < samples.Length; t++)
        {
            var value = samples[t];
            flat = t > 0 && value == samples[t - 1] ? flat + 1 : 1;
            longestFlat = Math.Max(longestFlat, flat);
            if (!float.IsFinite(value))
            {
                nonFinite++;
                continue;
            }

            finiteCount++;
            sum += value;
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        var mean = finiteCount > 0 ? sum / finiteCount : 0;
        var squares = 0.0;
        var longestClip = 0;
        var clip = 0;
        foreach (var value in samples)
        {
            if (!float.IsFinite(value))
            {
                clip = 0;
                continue;
            }

            var deviation = value - mean;
            squares += deviation * deviation;
            clip = value == min || value == max ? clip + 1 : 0;
            longestClip = Math.Max(longestClip, clip);
        }

        var standardDeviation = finiteCount > 0 ? Math.Sqrt(squares / finiteCount) : 0;

        var issues = QualityIssues.None;
        var score = 1.0;
        if (nonFinite > _options.MaxNonFinite)
        {
            issues |= QualityIssues.NonFinite;
        }

        score = Math.Min(score, _options.MaxNonFinite == 0
            ? (nonFinite == 0 ? 1 : 0)
            : UpperLimitScore(nonFinite, _options.MaxNonFinite));

        if (_options.MaxFlatLineSeconds > 0)
        {
            var seconds = longestFlat / SampleRateHz;
            if (seconds > _options.MaxFlatLineSeconds)
            {
                issues |= QualityIssues.FlatLine;
            }

            score = Math.Min(score, UpperLimitScore(seconds, _options.MaxFlatLineSeconds));
        }

        if (_options.MaxClippingSeconds > 0)
        {
            var seconds = longestClip / SampleRateHz;
            if (seconds > _options.MaxClippingSeconds)
            {
                issues |= QualityIssues.Clipping;
            }

            score = Math.Min(score, UpperLimitScore(seconds, _options.MaxClippingSeconds));
        }

        if (_options.MinStandardDeviation > 0)
        {
            if (standardDeviation < _options.MinStandardDeviation)
            {
                issues |= QualityIssues.LowVariance;
            }

            score = Math.Min(score, Math.Clamp((standardDeviation / _options.MinStandardDeviation) - 1, 0, 1));
        }

        return (issues, nonFinite, score);
    }

    private static double UpperLimitScore(double measure, double limit) =>
        Math.Clamp(2 - (2 * measure / limit), 0, 1);

    private static void RequireLimit(double value, string name, string paramName)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(
                paramName, value, $"Quality gate limit {name} is {value}; it must be finite and not negative.");
        }
    }
}
