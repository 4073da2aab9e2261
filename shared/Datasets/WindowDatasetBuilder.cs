using SsdEdge.Preprocessing;
using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>
/// Turns labelled raw windows into a <see cref="WindowDataset"/>: copies each window channel-major
/// in model channel order (channels selected by name), runs the preprocessing on it and keeps the
/// windows that pass the quality gate.
/// </summary>
/// <remarks>
/// Readers keep malformed rows and gaps as NaN samples, so a raw window may contain NaN. The
/// shared preprocessor's quality gate rejects such a window unless
/// <c>QualityGateOptions.MaxNonFinite</c> allows it, in which case the preprocessor fills the NaN.
/// Whatever the processor, a window whose model input is not all finite is rejected, so no NaN
/// reaches a dataset. Not thread-safe: it reuses one raw-window buffer.
/// </remarks>
public sealed class WindowDatasetBuilder
{
    private readonly WindowProcessor _process;
    private readonly float[] _raw;

    /// <summary>Creates a builder around any preprocessing function.</summary>
    /// <param name="channels">Channel names in model order.</param>
    /// <param name="rawWindowSamples">Raw samples per channel that every window must have.</param>
    /// <param name="modelWindowSamples">Samples per channel that the function writes.</param>
    /// <param name="process">Preprocessing and quality gate of one window.</param>
    public WindowDatasetBuilder(
        IReadOnlyList<string> channels,
        int rawWindowSamples,
        int modelWindowSamples,
        WindowProcessor process)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(process);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rawWindowSamples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(modelWindowSamples);
        if (channels.Count == 0)
        {
            throw new ArgumentException("At least one channel name is needed.", nameof(channels));
        }

        Channels = channels;
        RawWindowSamples = rawWindowSamples;
        ModelWindowSamples = modelWindowSamples;
        _process = process;
        _raw = new float[channels.Count * rawWindowSamples];
    }

    /// <summary>Channel names in model order.</summary>
    public IReadOnlyList<string> Channels { get; }

    /// <summary>Raw samples per channel of every window.</summary>
    public int RawWindowSamples { get; }

    /// <summary>Model input samples per channel.</summary>
    public int ModelWindowSamples { get; }

    /// <summary>Creates a builder that runs the shared <see cref="WindowPreprocessor"/>.</summary>
    /// <param name="preprocessor">Preprocessor; its channel count must match <paramref name="channels"/>.</param>
    /// <param name="channels">Channel names in contract order.</param>
    /// <exception cref="ArgumentException">The channel counts differ.</exception>
    public static WindowDatasetBuilder For(WindowPreprocessor preprocessor, IReadOnlyList<string> channels)
    {
        ArgumentNullException.ThrowIfNull(preprocessor);
        ArgumentNullException.ThrowIfNull(channels);
        if (preprocessor.ChannelCount != channels.Count)
        {
            throw new ArgumentException(
                $"The preprocessor expects {preprocessor.ChannelCount} channels but {channels.Count} are named.",
                nameof(channels));
        }

        return new WindowDatasetBuilder(
            channels,
            preprocessor.RawWindowSamples,
            preprocessor.ModelWindowSamples,
            (raw, model) => preprocessor.Process(raw, model).Accepted);
    }

    /// <summary>Preprocesses every window of <paramref name="windows"/>.</summary>
    /// <exception cref="ArgumentException">A window's length differs from <see cref="RawWindowSamples"/>,
    /// usually because its recording has another sampling rate.</exception>
    /// <exception cref="KeyNotFoundException">A recording lacks one of <see cref="Channels"/>.</exception>
    public WindowDatasetBuildResult Build(LabelledWindowSet windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        return Build(windows.Windows, windows.ClassLabels);
    }

    /// <summary>
    /// Preprocesses every window of <paramref name="windows"/>, keeping those the processor accepts
    /// whose model input is finite and listing the others as rejected.
    /// </summary>
    /// <exception cref="ArgumentException">A window's length differs from <see cref="RawWindowSamples"/>.</exception>
    /// <exception cref="KeyNotFoundException">A recording lacks one of <see cref="Channels"/>.</exception>
    public WindowDatasetBuildResult Build(IReadOnlyList<LabelledWindow> windows, IReadOnlyList<string> classLabels)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(classLabels);

        var windowSize = Channels.Count * ModelWindowSamples;
        var inputs = new float[(long)windows.Count * windowSize];
        var labels = new List<int>(windows.Count);
        var subjects = new List<string>(windows.Count);
        var origins = new List<WindowOrigin>(windows.Count);
        var rejected = new List<RejectedWindow>();
        var channelIndices = new Dictionary<Recording, int[]>(ReferenceEqualityComparer.Instance);
        foreach (var window in windows)
        {
            var origin = new WindowOrigin(window.Recording.Id, window.StartSample, window.RawSamples);
            CopyRaw(window, IndicesOf(window.Recording, channelIndices));
            var destination = inputs.AsSpan(labels.Count * windowSize, windowSize);
            if (!_process(_raw, destination) || !AllFinite(destination))
            {
                rejected.Add(new RejectedWindow(origin, window.Label));
                continue;
            }

            labels.Add(window.Label);
            subjects.Add(window.Recording.SubjectId);
            origins.Add(origin);
        }

        if (rejected.Count > 0)
        {
            Array.Resize(ref inputs, labels.Count * windowSize);
        }

        var dataset = new WindowDataset(
            inputs,
            Channels.Count,
            ModelWindowSamples,
            [.. labels],
            [.. subjects],
            classLabels,
            origins);
        return new WindowDatasetBuildResult(dataset, rejected);
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }

    private int[] IndicesOf(Recording recording, Dictionary<Recording, int[]> cache)
    {
        if (!cache.TryGetValue(recording, out var indices))
        {
            indices = Channels.Select(recording.IndexOfChannel).ToArray();
            cache[recording] = indices;
        }

        return indices;
    }

    private void CopyRaw(LabelledWindow window, int[] channelIndices)
    {
        if (window.RawSamples != RawWindowSamples)
        {
            throw new ArgumentException(
                $"Window at sample {window.StartSample} of '{window.Recording.Id}' has {window.RawSamples} samples "
                + $"at {window.Recording.SamplingRateHz} Hz; the preprocessing expects {RawWindowSamples}. "
                + "Use recordings sampled at the preprocessor's input rate.",
                nameof(window));
        }

        var start = checked((int)window.StartSample);
        for (var c = 0; c < channelIndices.Length; c++)
        {
            window.Recording.Samples[channelIndices[c]]
                .AsSpan(start, RawWindowSamples)
                .CopyTo(_raw.AsSpan(c * RawWindowSamples, RawWindowSamples));
        }
    }
}
