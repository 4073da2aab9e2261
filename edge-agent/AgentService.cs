using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Pipeline;
using SsdEdge.EdgeAgent.Sources;

namespace SsdEdge.EdgeAgent;

/// <summary>
/// Reads the sample source, runs each device's blocks through its pipeline, and when the source ends
/// writes the summary and stops the host.
/// </summary>
/// <remarks>
/// A stop request (Ctrl-C, SIGTERM) is honoured between blocks, so the window in flight is finished
/// and written before the summary. Any other error ends the run with
/// <see cref="ExitCodes.RunFailed"/> and its message in <see cref="AgentCompletion"/>.
/// </remarks>
public sealed class AgentService : BackgroundService
{
    private readonly OnnxModel _model;
    private readonly ISampleSource _source;
    private readonly IReadOnlyList<IWindowSink> _sinks;
    private readonly AgentOptions _options;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly AgentCompletion _completion;
    private readonly IngestCounters _counters;
    private readonly ILogger _logger;
    private readonly ILogger _pipelineLogger;

    /// <summary>Creates the service; the model is already loaded by then.</summary>
    public AgentService(
        OnnxModel model,
        ISampleSource source,
        IEnumerable<IWindowSink> sinks,
        IOptions<AgentOptions> options,
        IHostApplicationLifetime lifetime,
        AgentCompletion completion,
        IngestCounters counters,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(completion);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _model = model;
        _source = source;
        _sinks = sinks.ToList();
        _options = options.Value;
        _lifetime = lifetime;
        _completion = completion;
        _counters = counters;
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
        }

        Log.AgentStarting(_logger, _source.Description, _options.Speed, _options.HopSeconds, _options.Threads);
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var statistics = new RunStatistics();
        var pipelines = new Dictionary<string, DevicePipeline>(StringComparer.Ordinal);
        string? failure = null;
        var stopRequested = false;
        using (var engine = _model.CreateEngine())
        {
            try
            {
                await foreach (var block in _source.ReadAsync(stoppingToken))
                {
                    if (!pipelines.TryGetValue(block.Device.DeviceId, out var pipeline))
                    {
                        pipeline = CreatePipeline(block.Device, engine, statistics);
                        pipelines.Add(block.Device.DeviceId, pipeline);
                    }

                    _counters.AddReceived(block.Device.DeviceId, block.FrameCount, block.ReceivedTimestamp);
                    pipeline.Process(block);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                stopRequested = true;
                Log.AgentStopRequested(_logger);
            }
#pragma warning disable CA1031 // Every error ends the run with its message and a non-zero exit code.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure = AgentOptionsValidator.MessageOf(ex);
                Log.AgentFailed(_logger, failure, ex);
            }
        }

        ReportShortDevices(pipelines.Values, stopRequested);
        var summary = statistics.ToSummary();
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

    private DevicePipeline CreatePipeline(
        DeviceDescriptor device,
        InferenceEngine engine,
        RunStatistics statistics)
    {
        var contract = _model.Contract;
        var pipeline = new DevicePipeline(
            device, contract, engine, _options.HopSeconds, _sinks, statistics, _pipelineLogger);
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
}
