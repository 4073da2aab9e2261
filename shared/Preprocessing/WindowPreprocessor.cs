using SsdEdge.Contracts;

namespace SsdEdge.Preprocessing;

/// <summary>
/// The one function that maps a raw window to model input. The trainer and the agent both call it,
/// so training and serving cannot preprocess differently.
/// </summary>
/// <remarks>
/// Input is channel-major raw samples at <see cref="InputRateHz"/>: channel <c>c</c> occupies
/// <c>raw[c * RawWindowSamples .. (c + 1) * RawWindowSamples]</c>, in contract channel order.
/// Output is channel-major model input: <c>ChannelCount * ModelWindowSamples</c> floats.
/// The result depends only on the raw window, never on earlier calls, so any chunking of a
/// stream yields identical model input. An instance keeps scratch buffers and is not thread-safe;
/// use one per worker.
/// </remarks>
public sealed class WindowPreprocessor
{
    /// <summary>Creates a preprocessor for raw samples arriving at <paramref name="inputRateHz"/>.</summary>
    /// <exception cref="ArgumentException">A filter cut-off is at or above half the input rate, or a
    /// filter names a channel the contract lacks.</exception>
    public WindowPreprocessor(SignalContract contract, double inputRateHz)
    {
        ArgumentNullException.ThrowIfNull(contract);
        throw new NotImplementedException();
    }

    /// <summary>Rate of the raw samples, in Hz.</summary>
    public double InputRateHz { get; }

    /// <summary>Number of channels, in contract order.</summary>
    public int ChannelCount { get; }

    /// <summary>Raw samples per channel that make one window: round(window seconds × input rate).</summary>
    public int RawWindowSamples { get; }

    /// <summary>Samples per channel of the model input.</summary>
    public int ModelWindowSamples { get; }

    /// <summary>
    /// Runs the quality gate on <paramref name="rawWindow"/> and, when it passes, writes the model
    /// input to <paramref name="modelInput"/>. When the gate fails, <paramref name="modelInput"/> is
    /// left unspecified and must not be scored.
    /// </summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public QualityReport Process(ReadOnlySpan<float> rawWindow, Span<float> modelInput)
    {
        throw new NotImplementedException();
    }
}
