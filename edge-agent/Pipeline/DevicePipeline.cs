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
/// <para>Time follows the device's sample counter (<see cref="SampleBlock.FirstSample"/>) and its
/// nominal rate, never the arrival time: a window's end sample is a counter value, and its end in
/// seconds is that value over the rate. Each block is compared with the sample expected next:</para>
/// <list type="bullet">
/// <item>Beyond it: a gap. It is counted (<see cref="IngestCounters.AddGap"/>), logged, and the
/// windowing restarts at the block, so no window spans the gap. The windows a continuous stream
/// would have ended from the gap up to the first full window after it are counted as lost.</item>
/// <item>Before it by at most one raw window: a duplicate or an overlap. The samples already
/// received are dropped and counted (<see cref="IngestRejection.DuplicateSample"/>), and the new
/// part, if any, is appended.</item>
/// <item>Before it by more than one raw window: a device restart. The stream restarts at the block
/// and the restart is logged; nothing is dropped.</item>
/// </list>
/// <para>For live devices a <see cref="RateMonitor"/> compares the samples received with their
/// arrival times and reports a device whose rate differs from its nominal one; the time axis still
/// follows the counter. Not thread-safe: one pipeline per device, fed from one thread.</para>
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
    private readonly IngestCounters _counters;
    private readonly RateMonitor? _rateMonitor;
    private long _windowerOrigin;
    private long _nextWindowEnd;
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
        : this(device, contract, engine, hopSeconds, sinks, statistics, new IngestCounters(), null, logger)
    {
    }

    /// <summary>Creates the pipeline of <paramref name="device"/>, counting dropped input in
    /// <paramref name="counters"/> and, for a live device, checking its rate.</summary>
    /// <param name="device">Device whose blocks this pipeline receives.</param>
    /// <param name="contract">Signal contract of the model that <paramref name="engine"/> runs.</param>
    /// <param name="engine">Engine this pipeline runs windows through.</param>
    /// <param name="hopSeconds">Time between the ends of consecutive windows, in seconds.</param>
    /// <param name="sinks">Receivers of every window outcome.</param>
    /// <param name="statistics">Totals this pipeline adds to.</param>
    /// <param name="counters">Receives gaps, duplicate samples and rate mismatches.</param>
    /// <param name="rateMonitor">Checks the arrival rate of a live device; null for a replay,
    /// whose arrival times say nothing about the device.</param>
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
        IngestCounters counters,
        RateMonitor? rateMonitor,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(counters);
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
        _counters = counters;
        _rateMonitor = rateMonitor;
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

        var frames = block.Frames;
        var firstSample = block.FirstSample;
        if (_nextSample < 0)
        {
            StartStream(firstSample);
        }
        else if (firstSample > _nextSample)
        {
            OnGap(firstSample);
        }
        else if (firstSample < _nextSample)
        {
            var behind = _nextSample - firstSample;
            if (behind > RawWindowSamples)
            {
                OnRestart(firstSample);
            }
            else
            {
                // Drop what was already received and keep the new part, if any.
                var duplicates = (int)Math.Min(behind, block.FrameCount);
                _counters.AddRejected(Device.DeviceId, IngestRejection.DuplicateSample, duplicates);
                _statistics.AddDuplicates(Device.DeviceId, duplicates);
                Log.DuplicateSamplesDropped(_logger, Device.DeviceId, firstSample, duplicates, _nextSample);
                frames = frames[(duplicates * Device.ChannelCount)..];
                firstSample += duplicates;
            }
        }

        var frameCount = frames.Length / Device.ChannelCount;
        ObserveRate(frameCount, block.ReceivedTimestamp);
        if (frameCount == 0)
        {
            return;
        }

        _blockReceivedTimestamp = block.ReceivedTimestamp;
        SamplesReceived += frameCount;
        _statistics.AddSamples(Device.DeviceId, frameCount);
        _windower.Append(frames.Span, _onWindow);
        _nextSample = firstSample + frameCount;
    }

    private void StartStream(long firstSample)
    {
        _windowerOrigin = firstSample;
        _nextWindowEnd = firstSample + RawWindowSamples;
        _nextSample = firstSample;
    }

    private void OnGap(long firstSample)
    {
        var missing = firstSample - _nextSample;

        // A continuous stream would have ended windows at _nextWindowEnd and every hop after it.
        // Those before the first full window of the restarted stream are lost.
        var restartedEnd = firstSample + RawWindowSamples;
        var windowsLost = restartedEnd > _nextWindowEnd
            ? ((restartedEnd - _nextWindowEnd) + HopSamples - 1) / HopSamples
            : 0;
        _counters.AddGap(Device.DeviceId, missing, windowsLost);
        _statistics.AddGap(Device.DeviceId, missing, windowsLost);
        Log.StreamGap(_logger, Device.DeviceId, _nextSample, firstSample, missing, windowsLost);
        _windower.Reset();
        _rateMonitor?.Reset();
        StartStream(firstSample);
    }

    private void OnRestart(long firstSample)
    {
        _statistics.AddRestart(Device.DeviceId);
        Log.StreamRestarted(_logger, Device.DeviceId, _nextSample, firstSample, RawWindowSamples);
        _windower.Reset();
        _rateMonitor?.Reset();
        StartStream(firstSample);
    }

    private void ObserveRate(int frameCount, long receivedTimestamp)
    {
        if (_rateMonitor is null)
        {
            return;
        }

        switch (_rateMonitor.Observe(frameCount, receivedTimestamp))
        {
            case RateChange.MismatchStarted:
                var measured = _rateMonitor.MeasuredRateHz ?? 0;
                _counters.AddRateMismatch(Device.DeviceId, measured);
                Log.RateMismatchStarted(
                    _logger, Device.DeviceId, measured, Device.SamplingRateHz, _rateMonitor.Tolerance * 100);
                break;
            case RateChange.MismatchEnded:
                _counters.EndRateMismatch(Device.DeviceId);
                Log.RateMismatchEnded(_logger, Device.DeviceId, _rateMonitor.MeasuredRateHz ?? 0);
                break;
            default:
                break;
        }
    }

    private void OnWindow(in WindowReady window)
    {
        var endSample = _windowerOrigin + window.EndSample;
        _nextWindowEnd = endSample + HopSamples;
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
