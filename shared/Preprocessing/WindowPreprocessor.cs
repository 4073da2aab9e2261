using SsdEdge.Contracts;
using SsdEdge.Dsp;

namespace SsdEdge.Preprocessing;

/// <summary>
/// The one function that maps a raw window to model input. The trainer and the agent both call it,
/// so training and serving cannot preprocess differently.
/// </summary>
/// <remarks>
/// <para>
/// Input is channel-major raw samples at <see cref="InputRateHz"/>: channel <c>c</c> occupies
/// <c>raw[c * RawWindowSamples .. (c + 1) * RawWindowSamples]</c>, in contract channel order.
/// Output is channel-major model input: <c>ChannelCount * ModelWindowSamples</c> floats.
/// </para>
/// <para>
/// Steps per channel: the quality gate on the raw samples of all channels; NaN or infinite
/// samples the gate allowed (<see cref="QualityGateOptions.MaxNonFinite"/> above 0) replaced by the
/// previous finite sample (the next one at the start); each filter of the contract that names the
/// channel or <c>*</c>, in list order, forward and backward so it adds no delay; resampling to
/// <see cref="SignalContract.ModelRateHz"/>; then normalisation. An accepted window never yields
/// NaN or infinity: if the steps overflow, the window is rejected as
/// <see cref="QualityIssues.NonFinite"/> instead.
/// </para>
/// <para>
/// The result depends only on the raw window, never on earlier calls, so any chunking of a
/// stream yields identical model input. An instance keeps scratch buffers, allocates nothing per
/// call and is not thread-safe; use one per worker.
/// </para>
/// </remarks>
public sealed class WindowPreprocessor
{
    private readonly SosFilter[][] _channelFilters;
    private readonly RationalResampler _resampler;
    private readonly QualityGate _gate;
    private readonly NormalizationKind _normalization;
    private readonly float[] _channelScratch;

    /// <summary>Creates a preprocessor for raw samples arriving at <paramref name="inputRateHz"/>.</summary>
    /// <exception cref="ArgumentException">A filter cut-off is at or above half the input rate, a
    /// filter names a channel the contract lacks, the contract has no channels or no window, or the
    /// input and model rates have no ratio the resampler supports.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputRateHz"/> is not positive
    /// and finite.</exception>
    public WindowPreprocessor(SignalContract contract, double inputRateHz)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (!double.IsFinite(inputRateHz) || inputRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(inputRateHz), inputRateHz, $"Input rate {inputRateHz} Hz must be positive and finite.");
        }

        if (contract.Channels.Count == 0 || contract.WindowSamples <= 0 || !(contract.ModelRateHz > 0))
        {
            throw new ArgumentException(
                $"The signal contract has {contract.Channels.Count} channels, window {contract.WindowSamples} "
                + $"samples and model rate {contract.ModelRateHz} Hz; all three must be positive.",
                nameof(contract));
        }

        Contract = contract;
        InputRateHz = inputRateHz;
        ChannelCount = contract.Channels.Count;
        ModelWindowSamples = contract.WindowSamples;
        RawWindowSamples = checked((int)Math.Round(
            contract.WindowSeconds * inputRateHz, MidpointRounding.AwayFromZero));
        if (RawWindowSamples < 2)
        {
            throw new ArgumentException(
                $"A window of {contract.WindowSeconds} s at {inputRateHz} Hz holds {RawWindowSamples} raw samples; "
                + "at least 2 are needed.",
                nameof(inputRateHz));
        }

        _channelFilters = BuildFilters(contract, inputRateHz);
        _resampler = new RationalResampler(inputRateHz, contract.ModelRateHz);
        _gate = new QualityGate(contract.Preprocessing.Quality, inputRateHz);
        _normalization = contract.Preprocessing.Normalization;
        _channelScratch = new float[RawWindowSamples];
    }

    /// <summary>Contract whose preprocessing this instance applies.</summary>
    public SignalContract Contract { get; }

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
        RequireLength(rawWindow.Length, RawWindowSamples, "raw window", nameof(rawWindow));
        RequireLength(modelInput.Length, ModelWindowSamples, "model input", nameof(modelInput));

        var quality = _gate.Evaluate(rawWindow, ChannelCount);
        if (!quality.Accepted)
        {
            return quality;
        }

        var scratch = _channelScratch.AsSpan();
        for (var c = 0; c < ChannelCount; c++)
        {
            rawWindow.Slice(c * RawWindowSamples, RawWindowSamples).CopyTo(scratch);
            if (quality.NonFiniteCount > 0)
            {
                HoldOverNonFinite(scratch);
            }

            foreach (var filter in _channelFilters[c])
            {
                filter.FilterWindow(scratch, scratch);
            }

            var output = modelInput.Slice(c * ModelWindowSamples, ModelWindowSamples);
            _resampler.Resample(scratch, output);
            Normalization.Apply(_normalization, output);
            if (!AllFinite(output))
            {
                return quality with
                {
                    Issues = QualityIssues.NonFinite,
                    WorstChannel = c,
                    Score = 0,
                };
            }
        }

        return quality;
    }

    /// <summary>Preprocesses a raw window into a new model-input array.</summary>
    /// <param name="rawWindow">Channel-major raw samples, <c>ChannelCount * RawWindowSamples</c> long.</param>
    /// <param name="quality">Gate result; the returned array is meaningful only when accepted.</param>
    /// <exception cref="ArgumentException">The raw window has the wrong length.</exception>
    public float[] Process(float[] rawWindow, out QualityReport quality)
    {
        ArgumentNullException.ThrowIfNull(rawWindow);
        var modelInput = new float[ChannelCount * ModelWindowSamples];
        quality = Process(rawWindow, modelInput);
        return modelInput;
    }

    private static SosFilter[][] BuildFilters(SignalContract contract, double inputRateHz)
    {
        var perChannel = new List<SosFilter>[contract.Channels.Count];
        for (var c = 0; c < perChannel.Length; c++)
        {
            perChannel[c] = [];
        }

        var filters = contract.Preprocessing.Filters;
        for (var i = 0; i < filters.Count; i++)
        {
            var spec = filters[i];
            var target = spec.Channel == "*" ? -1 : IndexOfChannel(contract, spec, i);
            for (var c = 0; c < perChannel.Length; c++)
            {
                if (target < 0 || target == c)
                {
                    perChannel[c].Add(Design(spec, i, inputRateHz));
                }
            }
        }

        return [.. perChannel.Select(list => list.ToArray())];
    }

    private static int IndexOfChannel(SignalContract contract, FilterSpec spec, int filterIndex)
    {
        for (var c = 0; c < contract.Channels.Count; c++)
        {
            if (string.Equals(contract.Channels[c].Name, spec.Channel, StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }
        }

        var known = string.Join(", ", contract.Channels.Select(channel => channel.Name));
        throw new ArgumentException(
            $"Filter {filterIndex} ({spec.Kind}) names channel '{spec.Channel}', which the contract lacks; "
            + $"use '*' or one of: {known}.",
            nameof(contract));
    }

    private static SosFilter Design(FilterSpec spec, int filterIndex, double inputRateHz)
    {
        try
        {
            return ButterworthDesign.FromSpec(spec, inputRateHz);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException(
                $"Filter {filterIndex} ({spec.Kind} on '{spec.Channel}') cannot be designed for raw samples "
                + $"at {inputRateHz} Hz: {ExceptionMessages.Plain(ex)}",
                nameof(inputRateHz),
                ex);
        }
    }

    // Replaces each NaN or infinity by the previous finite sample, or the first finite one at the
    // start; an all-non-finite channel becomes zeros.
    private static void HoldOverNonFinite(Span<float> samples)
    {
        var held = 0f;
        foreach (var value in samples)
        {
            if (float.IsFinite(value))
            {
                held = value;
                break;
            }
        }

        for (var t = 0; t < samples.Length; t++)
        {
            if (float.IsFinite(samples[t]))
            {
                held = samples[t];
            }
            else
            {
                samples[t] = held;
            }
        }
    }

    private static bool AllFinite(ReadOnlySpan<float> samples)
    {
        foreach (var value in samples)
        {
            if (!float.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }

    private void RequireLength(int actual, int samplesPerChannel, string what, string paramName)
    {
        var expected = ChannelCount * samplesPerChannel;
        if (actual != expected)
        {
            throw new ArgumentException(
                $"The {what} holds {actual} floats; expected {expected} "
                + $"({ChannelCount} channels × {samplesPerChannel} samples, channel-major).",
                paramName);
        }
    }
}
