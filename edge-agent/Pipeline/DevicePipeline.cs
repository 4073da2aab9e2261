using Microsoft.Extensions.Logging;
using SsdEdge.Contracts;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.Preprocessing;
using SsdEdge.Streaming;

namespace SsdEdge.EdgeAgent.Pipeline;

/// <summary>
/// Turns the sample blocks of one device into scored windows: shared windowing and preprocessing
/// every hop, the quality gate, inference, the decision, then every sink.
/// </summary>
/// <remarks>
/// Window end times count from the device's first sample. A block that does not continue the
/// previous one (a gap or an overlap) restarts the windowing at that block, so no window spans a
/// discontinuity. Not thread-safe; one pipeline per device, fed from one thread.
/// </remarks>
public sealed class DevicePipeline
{
    private readonly SignalContract _contract;
    private readonly InferenceEngine _engine;
    private readonly IReadOnlyList<IWindowSink> _sinks;
    private readonly RunStatistics _statistics;
    private readonly ILogger _logger;
    private readonly StreamingWindower _windower;
    private readonly WindowHandler _onWindow;
    private long _windowerOrigin;
    private long _nextSample = -1;
    private long _blockReceivedTimestamp;
    private bool _nonFiniteOutputLogged;

    /// <summary>Creates the pipeline of <paramref name="device"/>.</summary>
    /// <param name="device">Device whose blocks this pipeline receives.</param>
    /// <param name="contract">Signal contract of the model that <paramref name="engine"/> runs.</param>
    /// <param name="engine">Engine this pipeline runs windows through.</param>
    /// <param name="hopSeconds">Time between the ends of consecutive windows, in seconds.</param>
    /// <param name="sinks">Receivers of every window outcome.</param>
    /// <param name="statistics">Totals this pipeline adds to.</param>
    /// <param name="logger">Receives discontinuities and skipped windows.</param>
    /// <exception cref="ArgumentException">The device's channels differ from the contract's, or the
    /// preprocessing cannot run at the device's rate.</exception>
    public DevicePipeline(
        DeviceDescriptor device,
        SignalContract contract,
        InferenceEngine engine,
        double hopSeconds,
        IReadOnlyList<IWindowSink> sinks,
        RunStatistics statistics,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(logger);
        if (!double.IsFinite(hopSeconds) || hopSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(hopSeconds), hopSeconds, "The hop must be a positive number of seconds.");
        }

        var expected = contract.Channels.Select(channel => channel.Name);
        if (!device.ChannelNames.SequenceEqual(expected, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"Device '{device.DeviceId}' delivers channels ({string.Join(", ", device.ChannelNames)}); "
                + $"the model needs ({string.Join(", ", expected)}) in that order.",
                nameof(device));
        }

        Device = device;
        _contract = contract;
        _engine = engine;
        _sinks = sinks;
        _statistics = statistics;
        _logger = logger;

        var preprocessor = new WindowPreprocessor(contract, device.SamplingRateHz);
        RawWindowSamples = preprocessor.RawWindowSamples;
        HopSamples = Math.Max(1, (int)Math.Round(hopSeconds * device.SamplingRateHz));
        _windower = new StreamingWindower(preprocessor, HopSamples);
        _onWindow = OnWindow;
    }

    /// <summary>Device this pipeline serves.</summary>
    public DeviceDescriptor Device { get; }

    /// <summary>Raw samples per channel in one window, at the device's rate.</summary>
    public int RawWindowSamples { get; }

    /// <summary>Raw samples per channel between the ends of consecutive windows.</summary>
    public int HopSamples { get; }

    /// <summary>Samples per channel received so far, over all blocks.</summary>
    public long SamplesReceived { get; private set; }

    /// <summary>Feeds one block and handles every window it completes before returning.</summary>
    /// <exception cref="ArgumentException">The block belongs to another device.</exception>
    public void Process(SampleBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (!string.Equals(block.Device.DeviceId, Device.DeviceId, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"A block of device '{block.Device.DeviceId}' reached the pipeline of '{Device.DeviceId}'.",
                nameof(block));
        }

        if (block.FirstSample != _nextSample)
        {
            if (_nextSample >= 0)
            {
                Log.StreamDiscontinuity(_logger, Device.DeviceId, _nextSample, block.FirstSample);
                _statistics.AddDiscontinuity();
                _windower.Reset();
            }

            _windowerOrigin = block.FirstSample;
        }

        _blockReceivedTimestamp = block.ReceivedTimestamp;
        SamplesReceived += block.FrameCount;
        _statistics.AddSamples(Device.DeviceId, block.FrameCount);
        _windower.Append(block.Frames.Span, _onWindow);
        _nextSample = block.FirstSample + block.FrameCount;
    }

    private void OnWindow(in WindowReady window)
    {
        var endSample = _windowerOrigin + window.EndSample;
        var endSeconds = endSample / Device.SamplingRateHz;
        var quality = window.Quality;
        WindowResult result;
        if (!quality.Accepted)
        {
            var worstChannel = quality.WorstChannel >= 0 && quality.WorstChannel < Device.ChannelCount
                ? Device.ChannelNames[quality.WorstChannel]
                : null;
            result = new WindowResult(
                Device.DeviceId, endSample, endSeconds, WindowOutcome.RejectedByQualityGate, quality,
                worstChannel, [], null, null)
            {
                LastSampleReceivedTimestamp = _blockReceivedTimestamp,
            };
            Log.WindowRejected(_logger, Device.DeviceId, endSample, quality.Issues, worstChannel ?? "none");
        }
        else
        {
            var inference = _engine.Run(window.ModelInput);
            if (inference.IsFinite)
            {
                var positiveProbability = inference.Probabilities[_contract.PositiveClassIndex];
                var positive = positiveProbability >= _contract.DecisionThreshold;
                result = new WindowResult(
                    Device.DeviceId, endSample, endSeconds, WindowOutcome.Scored, quality, null,
                    inference.Probabilities, positive, inference.LatencyMs)
                {
                    LastSampleReceivedTimestamp = _blockReceivedTimestamp,
                };
            }
            else
            {
                // Logged once per device; the summary counts every such window.
                if (!_nonFiniteOutputLogged)
                {
                    _nonFiniteOutputLogged = true;
                    Log.NonFiniteModelOutput(_logger, Device.DeviceId, endSample);
                }

                result = new WindowResult(
                    Device.DeviceId, endSample, endSeconds, WindowOutcome.NonFiniteOutput, quality, null,
                    [], null, inference.LatencyMs)
                {
                    LastSampleReceivedTimestamp = _blockReceivedTimestamp,
                };
            }
        }

        _statistics.AddWindow(result);
        foreach (var sink in _sinks)
        {
            sink.Write(result);
        }
    }
}
