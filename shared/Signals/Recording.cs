namespace SsdEdge.Signals;

/// <summary>
/// One continuous multichannel recording of one subject, with its events and optional label.
/// </summary>
/// <remarks>
/// All channels share one sampling rate and one length. <see cref="Samples"/> is channel-major:
/// <c>Samples[c][t]</c> is sample <c>t</c> of channel <c>c</c>, in the unit of that channel.
/// Readers keep a malformed row as NaN so the time axis stays intact; the quality gate rejects
/// every window that contains one.
/// </remarks>
public sealed class Recording
{
    /// <summary>Creates a recording and checks that its channels agree in rate and length.</summary>
    /// <exception cref="ArgumentException">Channel count, rates or lengths disagree.</exception>
    public Recording(
        string id,
        string subjectId,
        IReadOnlyList<ChannelSpec> channels,
        float[][] samples,
        IReadOnlyList<RecordingEvent>? events = null,
        string? label = null,
        string? split = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(samples);
        if (channels.Count == 0)
        {
            throw new ArgumentException($"Recording '{id}' has no channels.", nameof(channels));
        }

        if (channels.Count != samples.Length)
        {
            throw new ArgumentException(
                $"Recording '{id}' names {channels.Count} channels but holds {samples.Length} sample arrays.",
                nameof(samples));
        }

        for (var c = 1; c < channels.Count; c++)
        {
            if (channels[c].SamplingRateHz != channels[0].SamplingRateHz)
            {
                throw new ArgumentException(
                    $"Recording '{id}': channel '{channels[c].Name}' is sampled at {channels[c].SamplingRateHz} Hz, "
                    + $"channel '{channels[0].Name}' at {channels[0].SamplingRateHz} Hz; resample to one rate first.",
                    nameof(channels));
            }

            if (samples[c].Length != samples[0].Length)
            {
                throw new ArgumentException(
                    $"Recording '{id}': channel '{channels[c].Name}' has {samples[c].Length} samples, "
                    + $"channel '{channels[0].Name}' has {samples[0].Length}.",
                    nameof(samples));
            }
        }

        Id = id;
        SubjectId = subjectId;
        Channels = channels;
        Samples = samples;
        Events = events ?? Array.Empty<RecordingEvent>();
        Label = label;
        Split = split;
    }

    /// <summary>Identifier of the recording, unique within its dataset (often the file name).</summary>
    public string Id { get; }

    /// <summary>Subject the recording belongs to; folds are formed over these ids.</summary>
    public string SubjectId { get; }

    /// <summary>Channel descriptions, in the order of <see cref="Samples"/>.</summary>
    public IReadOnlyList<ChannelSpec> Channels { get; }

    /// <summary>Channel-major sample arrays, owned by this recording.</summary>
    public float[][] Samples { get; }

    /// <summary>Events such as stimulus onsets, in sample order.</summary>
    public IReadOnlyList<RecordingEvent> Events { get; }

    /// <summary>Class of the whole recording when the dataset labels recordings (UCR, BioVid samples).</summary>
    public string? Label { get; }

    /// <summary>The dataset's own split (<c>train</c> or <c>test</c>) when it defines one.</summary>
    public string? Split { get; }

    /// <summary>Common sampling rate of all channels, in Hz.</summary>
    public double SamplingRateHz => Channels[0].SamplingRateHz;

    /// <summary>Number of samples per channel.</summary>
    public int Length => Samples[0].Length;

    /// <summary>Duration in seconds.</summary>
    public double DurationSeconds => Length / SamplingRateHz;

    /// <summary>Returns the index of the channel named <paramref name="name"/> (ordinal, case-insensitive).</summary>
    /// <exception cref="KeyNotFoundException">No channel has that name.</exception>
    public int IndexOfChannel(string name)
    {
        for (var c = 0; c < Channels.Count; c++)
        {
            if (string.Equals(Channels[c].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }
        }

        var known = string.Join(", ", Channels.Select(channel => channel.Name));
        throw new KeyNotFoundException($"Recording '{Id}' has no channel '{name}'; it has: {known}.");
    }
}
