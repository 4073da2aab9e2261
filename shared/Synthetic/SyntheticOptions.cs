namespace SsdEdge.Synthetic;

/// <summary>Size and timing of a synthetic physiology dataset.</summary>
public sealed record SyntheticOptions
{
    /// <summary>Seed from which every subject and every sample is derived.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Number of subjects, each one recording.</summary>
    public int SubjectCount { get; init; } = 4;

    /// <summary>Sampling rate of every channel, in Hz.</summary>
    public double SamplingRateHz { get; init; } = 512;

    /// <summary>Length of each recording, in seconds.</summary>
    public double DurationSeconds { get; init; } = 300;

    /// <summary>Time of the first stimulus onset, in seconds.</summary>
    public double FirstStimulusSeconds { get; init; } = 10;

    /// <summary>Mean time between consecutive stimulus onsets, in seconds.</summary>
    public double StimulusIntervalSeconds { get; init; } = 20;

    /// <summary>Half-width of the uniform jitter added to each interval, in seconds.</summary>
    public double IntervalJitterSeconds { get; init; } = 3;

    /// <summary>Length of the heat plateau of each stimulus, in seconds.</summary>
    public double StimulusSeconds { get; init; } = 4;

    /// <summary>Checks that every value is in range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SubjectCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(SamplingRateHz, 50.0, nameof(SamplingRateHz));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(DurationSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(FirstStimulusSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(StimulusSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(IntervalJitterSeconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(
            StimulusIntervalSeconds - IntervalJitterSeconds,
            StimulusSeconds,
            nameof(StimulusIntervalSeconds));
    }
}
