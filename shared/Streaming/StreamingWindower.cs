using SsdEdge.Dsp;
using SsdEdge.Preprocessing;

namespace SsdEdge.Streaming;

/// <summary>Receives each window a <see cref="StreamingWindower"/> completes.</summary>
/// <param name="window">The window; its spans are valid only during the call.</param>
public delegate void WindowHandler(in WindowReady window);

/// <summary>A completed window: its position, quality and, when accepted, its model input.</summary>
public readonly ref struct WindowReady
{
    /// <summary>Creates a window description over buffers owned by the windower.</summary>
    public WindowReady(
        long endSample,
        QualityReport quality,
        ReadOnlySpan<float> rawWindow,
        ReadOnlySpan<float> modelInput)
    {
        EndSample = endSample;
        Quality = quality;
        RawWindow = rawWindow;
        ModelInput = modelInput;
    }

    /// <summary>Index one past the window's last sample, counted from the first sample of the stream.</summary>
    public long EndSample { get; }

    /// <summary>Quality gate result; <see cref="ModelInput"/> is meaningful only when accepted.</summary>
    public QualityReport Quality { get; }

    /// <summary>Raw window, channel-major, as passed to the preprocessor.</summary>
    public ReadOnlySpan<float> RawWindow { get; }

    /// <summary>Model input, channel-major.</summary>
    public ReadOnlySpan<float> ModelInput { get; }
}

/// <summary>
/// Buffers a multichannel sample stream and, every hop, cuts the latest raw window and runs the
/// shared <see cref="WindowPreprocessor"/> on it.
/// </summary>
/// <remarks>
/// Windows end at sample indices <c>e = RawWindowSamples + k * HopSamples</c> (k = 0, 1, ...), so the
/// first window covers samples [0, RawWindowSamples). Because every window is preprocessed from its raw
/// samples alone, the output does not depend on how the stream was chunked. Offline code cuts the
/// same windows at <see cref="WindowStarts"/>. Buffers are allocated once; appending allocates
/// nothing. Not thread-safe.
/// </remarks>
public sealed class StreamingWindower
{
    private readonly WindowPreprocessor _preprocessor;
    private readonly WindowScheduler _scheduler;
    private readonly MultiChannelRingBuffer _ring;
    private readonly float[] _rawWindow;
    private readonly float[] _modelInput;

    /// <summary>Creates a windower that emits a window every <paramref name="hopSamples"/> input samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hopSamples"/> is not positive.</exception>
    public StreamingWindower(WindowPreprocessor preprocessor, int hopSamples)
    {
        ArgumentNullException.ThrowIfNull(preprocessor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hopSamples);
        _preprocessor = preprocessor;
        _scheduler = new WindowScheduler(preprocessor.RawWindowSamples, hopSamples);
        _ring = new MultiChannelRingBuffer(preprocessor.ChannelCount, preprocessor.RawWindowSamples);
        _rawWindow = new float[preprocessor.ChannelCount * preprocessor.RawWindowSamples];
        _modelInput = new float[preprocessor.ChannelCount * preprocessor.ModelWindowSamples];
        HopSamples = hopSamples;
    }

    /// <summary>Input samples between the ends of consecutive windows.</summary>
    public int HopSamples { get; }

    /// <summary>Samples per channel received so far.</summary>
    public long SamplesReceived { get; private set; }

    /// <summary>
    /// Returns the start index of every complete window in a recording of
    /// <paramref name="totalSamples"/> samples per channel, in the order and at the positions a
    /// <see cref="StreamingWindower"/> emits them: window <c>k</c> covers
    /// <c>[k * hopSamples, k * hopSamples + rawWindowSamples)</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A length is not positive, or
    /// <paramref name="totalSamples"/> is negative.</exception>
    public static long[] WindowStarts(long totalSamples, int rawWindowSamples, int hopSamples) =>
        new WindowScheduler(rawWindowSamples, hopSamples).WindowStarts(totalSamples);

    /// <summary>
    /// Appends <paramref name="frames"/>, interleaved by sample (t0c0, t0c1, ..., t1c0, ...), and calls
    /// <paramref name="onWindow"/> for every window completed by them, in order.
    /// </summary>
    /// <exception cref="ArgumentException">The frame length is not a multiple of the channel count.</exception>
    public void Append(ReadOnlySpan<float> frames, WindowHandler onWindow)
    {
        ArgumentNullException.ThrowIfNull(onWindow);
        var channels = _preprocessor.ChannelCount;
        if (frames.Length % channels != 0)
        {
            throw new ArgumentException(
                $"Frames hold {frames.Length} values, which is not a multiple of the {channels} channels; "
                + "append whole frames only.",
                nameof(frames));
        }

        var remaining = frames;
        while (!remaining.IsEmpty)
        {
            // Write up to the next window end, so the ring contains exactly that window when it is cut.
            var untilEnd = _scheduler.NextWindowEnd(SamplesReceived) - SamplesReceived;
            var frameCount = (int)Math.Min(untilEnd, remaining.Length / channels);
            _ring.WriteInterleaved(remaining[..(frameCount * channels)]);
            remaining = remaining[(frameCount * channels)..];
            SamplesReceived += frameCount;

            if (_scheduler.IsWindowEnd(SamplesReceived))
            {
                _ring.CopyLatestChannelMajor(_rawWindow);
                var quality = _preprocessor.Process(_rawWindow, _modelInput);
                onWindow(new WindowReady(SamplesReceived, quality, _rawWindow, _modelInput));
            }
        }
    }

    /// <summary>Forgets all buffered samples, for example after a gap in the stream; the next
    /// sample counts as sample 0.</summary>
    public void Reset()
    {
        _ring.Reset();
        SamplesReceived = 0;
    }
}
