using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Pipeline;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Sources.Mqtt;
using SsdEdge.EdgeAgent.Sources.Serial;
using SsdEdge.EdgeAgent.Sources.Simulator;

namespace SsdEdge.EdgeAgent;

/// <summary>
/// Reads every registered sample source on its own task, merges their blocks through a bounded
/// queue into one pipeline per device, and when the run ends writes the summary and stops the host.
/// </summary>
/// <remarks>
/// <para>The run ends when every source has ended (a replay), when the configured duration has
/// passed, or on a stop request (Ctrl-C, SIGTERM). A stop is honoured between blocks, so the window
/// in flight is finished and written before the summary.</para>
/// <para>A source that fails is logged with its description while the others go on; the run then
/// exits with <see cref="ExitCodes.RunFailed"/> and the failure in <see cref="AgentCompletion"/>.
/// A device of a live source whose pipeline cannot be built (channels or rate the model cannot
/// use) is logged and its blocks are dropped; a replayed device fails the run as before.</para>
/// <para>The queue holds <see cref="QueueCapacity"/> blocks. A source waits while it is full, so a
/// live source must buffer or drop on its own side (the MQTT source counts
/// <see cref="IngestRejection.BufferFull"/>).</para>
/// </remarks>
public sealed class AgentService : BackgroundService
{
    /// <summary>Blocks queued between the sources and the pipelines.</summary>
    public const int QueueCapacity = 256;

    private readonly OnnxModel _model;
    private readonly List<ISampleSource> _sources;
    private readonly IReadOnlyList<IWindowSink> _sinks;
    private readonly AgentOptions _options;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly AgentCompletion _completion;
    private readonly IngestCounters _counters;
    private readonly TimeProvider _timeProvider;
    private readonly SourcePlan _plan;
    private readonly MqttOptions _mqttOptions;
    private readonly SimulatorOptions _simulatorOptions;
    private readonly SerialOptions _serialOptions;
    private readonly ILogger _logger;
    private readonly ILogger _pipelineLogger;
    private readonly ConcurrentQueue<string> _sourceFailures = new();
    private int _sourcesRunning;

    /// <summary>Creates the service; the model is already loaded by then.</summary>
    public AgentService(
        OnnxModel model,
        IEnumerable<ISampleSource> sources,
        IEnumerable<IWindowSink> sinks,
        IOptions<AgentOptions> options,
        IHostApplicationLifetime lifetime,
        AgentCompletion completion,
        IngestCounters counters,
        TimeProvider timeProvider,
        SourcePlan plan,
        IOptions<MqttOptions> mqttOptions,
        IOptions<SimulatorOptions> simulatorOptions,
        IOptions<SerialOptions> serialOptions,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(completion);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(mqttOptions);
        ArgumentNullException.ThrowIfNull(simulatorOptions);
        ArgumentNullException.ThrowIfNull(serialOptions);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _model = model;
        _sources = sources.ToList();
        _sinks = sinks.ToList();
        _options = options.Value;
        _lifetime = lifetime;
        _completion = completion;
        _counters = counters;
        _timeProvider = timeProvider;
        _plan = plan;
        _mqttOptions = mqttOptions.Value;
        _simulatorOptions = simulatorOptions.Value;
        _serialOptions = serialOptions.Value;
        _logger = loggerFactory.CreateLogger<AgentService>();
        _pipelineLogger = loggerFactory.CreateLogger<DevicePipeline>();
    }

    /// <summary>Checks the settings against the model's contract, then starts the run.</summary>
    /// <exception cref="OptionsValidationException">A setting does not fit the model.</exception>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var contract = _model.Contract;
        var fit = AgentOptionsValidator.ValidateAgainstContract(_options, contract);
        if (fit.Failed)
        {
            throw new OptionsValidationException(AgentOptions.SectionName, typeof(AgentOptions), fit.Failures);
        }

        var sourcesFit = AgentOptionsValidator.ValidateSourcesAgainstContract(
            _plan, _mqttOptions, _simulatorOptions, contract, _sources.Count);
        if (sourcesFit.Failed)
        {
            throw new OptionsValidationException(AgentOptions.SectionName, typeof(AgentOptions), sourcesFit.Failures);
        }

        var serialFit = SerialOptionsValidator.ValidateAgainstContract(_serialOptions, contract);
        if (serialFit.Failed)
        {
            throw new OptionsValidationException(SerialOptions.SectionName, typeof(SerialOptions), serialFit.Failures);
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            var channels = string.Join(", ", contract.Channels.Select(channel => channel.Name));
            var classLabels = string.Join(", ", contract.ClassLabels);
            Log.ModelLoaded(
                _logger,
                _model.Path,
                _model.LoadMilliseconds,
                contract.ModelId,
                channels,
                contract.WindowSamples,
                contract.ModelRateHz,
                classLabels,
                contract.ClassLabels[contract.PositiveClassIndex],
                contract.DecisionThreshold,
                _model.InputName,
                _model.OutputName);
            var sources = string.Join("; ", _sources.Select(source => source.Description));
            Log.AgentStarting(
                _logger,
                sources,
                _options.HopSeconds,
                _options.Threads,
                _options.DurationSeconds);
        }

        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var durationStop = _options.DurationSeconds > 0
            ? new CancellationTokenSource(TimeSpan.FromSeconds(_options.DurationSeconds), _timeProvider)
            : new CancellationTokenSource();
        using var runStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, durationStop.Token);
        var statistics = new RunStatistics();
        var pipelines = new Dictionary<string, DevicePipeline>(StringComparer.Ordinal);
        string? failure = null;
        var stopped = false;
        using (var engine = _model.CreateEngine())
        {
            // Sources: one task each, all writing into one bounded queue.
            var queue = Channel.CreateBounded<SourcedBlock>(new BoundedChannelOptions(QueueCapacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            _sourcesRunning = _sources.Count;
            if (_sources.Count == 0)
            {
                queue.Writer.TryComplete();
            }

            var pumps = _sources
                .Select((source, index) => Task.Run(
                    () => PumpAsync(source, index, queue.Writer, runStop.Token), CancellationToken.None))
                .ToArray();

            // Pipelines: fed from this task only, one block at a time.
            var consumer = new BlockConsumer(this, engine, statistics, pipelines);
            try
            {
                await foreach (var item in queue.Reader.ReadAllAsync(runStop.Token))
                {
                    consumer.Process(item);
                }
            }
            catch (OperationCanceledException) when (runStop.IsCancellationRequested)
            {
                stopped = true;
                if (stoppingToken.IsCancellationRequested)
                {
                    Log.AgentStopRequested(_logger);
                }
                else
                {
                    Log.DurationReached(_logger, _options.DurationSeconds);
                }
            }
#pragma warning disable CA1031 // Every error ends the run with its message and a non-zero exit code.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure = AgentOptionsValidator.MessageOf(ex);
                Log.AgentFailed(_logger, failure, ex);
            }

            // Stop the sources still running and wait for them, so none writes after the summary.
            await runStop.CancelAsync();
            await Task.WhenAll(pumps);
        }

        if (failure is null && !_sourceFailures.IsEmpty)
        {
            failure = string.Join(" ", _sourceFailures);
        }

        ReportShortDevices(pipelines.Values, stopped);
        var summary = statistics.ToSummary() with
        {
            InputRejectedByCause = _counters.RejectedSnapshot()
                .GroupBy(entry => entry.Cause.ToString(), StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => group.Sum(entry => entry.Count), StringComparer.Ordinal),
        };
        foreach (var sink in _sinks)
        {
            sink.Complete(summary);
        }

        if (summary.MedianLatencyMs is { } median && summary.P99LatencyMs is { } p99)
        {
            Log.AgentFinished(
                _logger,
                summary.WindowsScored,
                summary.WindowsSkipped,
                summary.SamplesIn,
                summary.Devices,
                median,
                p99);
        }
        else
        {
            Log.AgentFinishedWithoutScores(_logger, summary.WindowsSkipped, summary.SamplesIn, summary.Devices);
        }

        if (failure is null)
        {
            _completion.SetSucceeded(summary);
        }
        else
        {
            _completion.SetFailed(failure, summary);
        }

        _lifetime.StopApplication();
    }

    // Reads one source until it ends, fails or the run stops. The last source to finish closes
    // the queue, so the consumer ends once every block has been processed.
    private async Task PumpAsync(
        ISampleSource source,
        int sourceIndex,
        ChannelWriter<SourcedBlock> writer,
        CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var block in source.ReadAsync(cancellationToken).WithCancellation(cancellationToken))
            {
                await writer.WriteAsync(new SourcedBlock(block, sourceIndex, source.IsLive), cancellationToken);
            }

            var stillRunning = Volatile.Read(ref _sourcesRunning) - 1;
            Log.SourceEnded(_logger, source.Description, stillRunning);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is stopping: not an error.
        }
#pragma warning disable CA1031 // A failing source is logged and reported; the other sources go on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var reason = AgentOptionsValidator.MessageOf(ex);
            var remaining = Volatile.Read(ref _sourcesRunning) - 1;
            _sourceFailures.Enqueue(_sources.Count == 1 ? reason : $"Source {source.Description} failed: {reason}");
            if (remaining > 0)
            {
                Log.SourceFailed(_logger, source.Description, reason, remaining, ex);
            }
            else
            {
                Log.LastSourceFailed(_logger, source.Description, reason, ex);
            }
        }
        finally
        {
            if (Interlocked.Decrement(ref _sourcesRunning) == 0)
            {
                writer.TryComplete();
            }
        }
    }

    private DevicePipeline CreatePipeline(
        DeviceDescriptor device,
        bool live,
        InferenceEngine engine,
        RunStatistics statistics)
    {
        var contract = _model.Contract;
        var rateMonitor = live && _options.RateCheckSeconds > 0
            ? new RateMonitor(device.SamplingRateHz, _options.RateCheckSeconds, _options.RateTolerance)
            : null;
        var pipeline = new DevicePipeline(
            device,
            contract,
            engine,
            _options.HopSeconds,
            _sinks,
            statistics,
            _counters,
            rateMonitor,
            _pipelineLogger);
        Log.PipelineCreated(
            _logger, device.DeviceId, pipeline.RawWindowSamples, device.SamplingRateHz, pipeline.HopSamples);
        foreach (var channel in contract.Channels)
        {
            if (channel.InputRateHz != device.SamplingRateHz)
            {
                Log.RateDiffersFromTraining(
                    _logger,
                    device.DeviceId,
                    channel.Name,
                    device.SamplingRateHz,
                    channel.InputRateHz,
                    contract.ModelRateHz);
            }
        }

        return pipeline;
    }

    // A device cut short by a stop request has no data problem, so it gets information, not a warning.
    private void ReportShortDevices(IEnumerable<DevicePipeline> pipelines, bool stopRequested)
    {
        foreach (var pipeline in pipelines)
        {
            if (pipeline.SamplesReceived >= pipeline.RawWindowSamples)
            {
                continue;
            }

            if (stopRequested)
            {
                Log.DeviceStoppedBeforeWindow(
                    _logger, pipeline.Device.DeviceId, pipeline.SamplesReceived, pipeline.RawWindowSamples);
            }
            else
            {
                Log.DeviceShorterThanWindow(
                    _logger, pipeline.Device.DeviceId, pipeline.SamplesReceived, pipeline.RawWindowSamples);
            }
        }
    }

    private readonly record struct SourcedBlock(SampleBlock Block, int SourceIndex, bool Live);

    // Routes each block to its device's pipeline, creating pipelines as devices appear.
    private sealed class BlockConsumer(
        AgentService service,
        InferenceEngine engine,
        RunStatistics statistics,
        Dictionary<string, DevicePipeline> pipelines)
    {
        private readonly Dictionary<string, int> _sourceOfDevice = new(StringComparer.Ordinal);
        private readonly HashSet<string> _rejectedDevices = new(StringComparer.Ordinal);

        public void Process(SourcedBlock item)
        {
            var block = item.Block;
            var deviceId = block.Device.DeviceId;
            if (_rejectedDevices.Contains(deviceId))
            {
                service._counters.AddRejected(deviceId, IngestRejection.UnknownDevice);
                return;
            }

            if (!pipelines.TryGetValue(deviceId, out var pipeline))
            {
                pipeline = TryCreate(item);
                if (pipeline is null)
                {
                    return;
                }
            }
            else if (_sourceOfDevice[deviceId] != item.SourceIndex)
            {
                // Two sources naming one device would interleave two sample counters.
                service._counters.AddRejected(deviceId, IngestRejection.UnknownDevice);
                return;
            }

            service._counters.AddReceived(deviceId, block.FrameCount, block.ReceivedTimestamp);
            pipeline.Process(block);
        }

        private DevicePipeline? TryCreate(SourcedBlock item)
        {
            var device = item.Block.Device;
            try
            {
                var pipeline = service.CreatePipeline(device, item.Live, engine, statistics);
                pipelines.Add(device.DeviceId, pipeline);
                _sourceOfDevice.Add(device.DeviceId, item.SourceIndex);
                return pipeline;
            }
            catch (ArgumentException ex) when (item.Live)
            {
                // A live device that the model cannot serve must not stop the others.
                _rejectedDevices.Add(device.DeviceId);
                service._counters.AddRejected(device.DeviceId, IngestRejection.UnknownDevice);
                Log.DeviceRejected(service._logger, device.DeviceId, AgentOptionsValidator.MessageOf(ex));
                return null;
            }
        }
    }
}
