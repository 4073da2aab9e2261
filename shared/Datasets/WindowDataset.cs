namespace SsdEdge.Datasets;

/// <summary>
/// Preprocessed, labelled model inputs with the subject and origin of each window.
/// </summary>
/// <remarks>
/// <see cref="Inputs"/> is laid out (window, channel, time) in C order: window <c>i</c> occupies
/// <c>Inputs[i * ChannelCount * WindowSamples ..]</c>. Every window went through
/// <c>WindowPreprocessor.Process</c> and passed its quality gate.
/// </remarks>
public sealed class WindowDataset
{
    /// <summary>Creates a dataset and checks that all arrays agree in length.</summary>
    /// <exception cref="ArgumentException">Array lengths disagree or a label is out of range.</exception>
    public WindowDataset(
        float[] inputs,
        int channelCount,
        int windowSamples,
        int[] labels,
        string[] subjectIds,
        IReadOnlyList<string> classLabels,
        IReadOnlyList<WindowOrigin>? origins = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(subjectIds);
        ArgumentNullException.ThrowIfNull(classLabels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channelCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowSamples);
        var count = labels.Length;
        if (inputs.Length != (long)count * channelCount * windowSamples)
        {
            throw new ArgumentException(
                $"{count} windows of {channelCount}x{windowSamples} need {(long)count * channelCount * windowSamples} "
                + $"input values; got {inputs.Length}.",
                nameof(inputs));
        }

        if (subjectIds.Length != count || (origins is not null && origins.Count != count))
        {
            throw new ArgumentException(
                $"{count} labels but {subjectIds.Length} subject ids and {origins?.Count ?? count} origins.",
                nameof(subjectIds));
        }

        foreach (var label in labels)
        {
            if (label < 0 || label >= classLabels.Count)
            {
                throw new ArgumentException(
                    $"Label {label} is outside the {classLabels.Count} classes ({string.Join(", ", classLabels)}).",
                    nameof(labels));
            }
        }

        Inputs = inputs;
        ChannelCount = channelCount;
        WindowSamples = windowSamples;
        Labels = labels;
        SubjectIds = subjectIds;
        ClassLabels = classLabels;
        Origins = origins ?? Array.Empty<WindowOrigin>();
    }

    /// <summary>Model inputs, (window, channel, time) in C order.</summary>
    public float[] Inputs { get; }

    /// <summary>Channels per window.</summary>
    public int ChannelCount { get; }

    /// <summary>Samples per channel per window, at the model rate.</summary>
    public int WindowSamples { get; }

    /// <summary>Class index of each window.</summary>
    public int[] Labels { get; }

    /// <summary>Subject of each window.</summary>
    public string[] SubjectIds { get; }

    /// <summary>Class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassLabels { get; }

    /// <summary>Where each window was cut from; empty when unknown.</summary>
    public IReadOnlyList<WindowOrigin> Origins { get; }

    /// <summary>Number of windows.</summary>
    public int Count => Labels.Length;

    /// <summary>Values per window (channels × samples).</summary>
    public int WindowSize => ChannelCount * WindowSamples;

    /// <summary>Returns the model input of window <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Window(int index) => Inputs.AsSpan(index * WindowSize, WindowSize);

    /// <summary>Returns a new dataset holding the windows at <paramref name="indices"/>, in that order.</summary>
    public WindowDataset Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var inputs = new float[indices.Count * WindowSize];
        var labels = new int[indices.Count];
        var subjects = new string[indices.Count];
        var origins = Origins.Count == 0 ? null : new WindowOrigin[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            Window(indices[i]).CopyTo(inputs.AsSpan(i * WindowSize, WindowSize));
            labels[i] = Labels[indices[i]];
            subjects[i] = SubjectIds[indices[i]];
            if (origins is not null)
            {
                origins[i] = Origins[indices[i]];
            }
        }

        return new WindowDataset(inputs, ChannelCount, WindowSamples, labels, subjects, ClassLabels, origins);
    }
}

/// <summary>Where a window was cut from.</summary>
/// <param name="RecordingId">Recording the window came from.</param>
/// <param name="StartSample">First raw sample of the window, at the recording's rate.</param>
/// <param name="RawSamples">Raw samples per channel in the window.</param>
public readonly record struct WindowOrigin(string RecordingId, long StartSample, int RawSamples);
