using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SsdEdge.EdgeAgent.Inference;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>Runs every benchmark section in turn and collects the report.</summary>
/// <remarks>Sections run one after another on the calling thread's process, never in parallel, so
/// they do not disturb each other. Memory is read before the capacity section, whose hundreds of
/// pipelines would otherwise set the peak.</remarks>
public sealed class BenchRunner
{
    // Seconds of synthetic frames devices replay before wrapping around.
    private const double FeedSeconds = 120;

    private readonly BenchOptions _options;
    private readonly IReadOnlyList<IExternalBench> _external;
    private readonly ILogger _logger;

    /// <summary>Creates a runner; <paramref name="external"/> may be empty.</summary>
    public BenchRunner(BenchOptions options, IReadOnlyList<IExternalBench> external, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(external);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _external = external;
        _logger = logger;
    }

    /// <summary>Returns the model file a run uses: <see cref="BenchOptions.ModelPath"/>, or the
    /// bundled demo model beside the program.</summary>
    public static string ResolveModelPath(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ModelPath.Length > 0
            ? options.ModelPath
            : Path.Combine(AppContext.BaseDirectory, "models", "synthetic-demo.onnx");
    }

    /// <summary>Runs every section.</summary>
    /// <exception cref="ModelLoadException">The model cannot be loaded.</exception>
    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken)
    {
        var options = _options;
        var started = Stopwatch.GetTimestamp();
        var modelPath = ResolveModelPath(options);
        BenchLog.BenchStarting(_logger, modelPath, options.Threads, options.Smoke ? "smoke" : "full");

        using var model = OnnxModel.Load(modelPath, options.Threads);
        using var engine = model.CreateEngine();
        var contract = model.Contract;
        var feedSeconds = Math.Max(FeedSeconds, (contract.WindowSeconds + options.HopSeconds) * 4);
        var feed = new SyntheticFeed(contract, options.DeviceRateHz, feedSeconds, options.Seed);
        var hopSamples = PreprocessingBench.HopSamples(options.HopSeconds, feed.RateHz);
        var inputs = InferenceBench.ModelInputs(model, feed, hopSamples);

        BenchLog.SectionStarting(_logger, "inference");
        var inference = InferenceBench.Measure(engine, inputs, options.Warmup, options.Windows);

        BenchLog.SectionStarting(_logger, "comparison");
        var comparison = Compare(engine, inputs, contract.Channels.Count, contract.WindowSamples);

        BenchLog.SectionStarting(_logger, "preprocessing");
        var preprocessing = PreprocessingBench.Measure(
            contract, feed, options.HopSeconds, options.Warmup, options.Windows);

        BenchLog.SectionStarting(_logger, "duty cycle");
        var spinningOn = await DutyCycleBench.MeasureAsync(
            modelPath, options.Threads, true, feed, options.HopSeconds, options.DutySeconds, _logger,
            cancellationToken);
        var spinningOff = await DutyCycleBench.MeasureAsync(
            modelPath, options.Threads, false, feed, options.HopSeconds, options.DutySeconds, _logger,
            cancellationToken);

        BenchLog.SectionStarting(_logger, "memory");
        var memory = MemoryBench.Measure(model, engine, feed, options.HopSeconds, options.Devices, _logger);

        CapacitySection capacity;
        if (options.RunCapacity)
        {
            BenchLog.SectionStarting(_logger, "capacity");
            capacity = await CapacityBench.MeasureAsync(
                model, engine, feed, options.HopSeconds, options.CapacitySteps, options.CapacitySeconds,
                options.MaxP99Ms, _logger, cancellationToken);
        }
        else
        {
            capacity = new CapacitySection(
                false, "skipped with --no-capacity", CapacityBench.InProcessMode, options.MaxP99Ms,
                contract.Channels.Count, feed.RateHz, [], 0);
        }

        var external = await RunExternalAsync(new BenchContext(options, modelPath, feed), cancellationToken);
        var report = new BenchReport
        {
            Machine = MachineInfo.Describe(),
            Settings = new BenchSettings(
                modelPath,
                contract.ModelId,
                [.. contract.Channels.Select(channel => channel.Name)],
                contract.WindowSamples,
                contract.ModelRateHz,
                feed.RateHz,
                options.HopSeconds,
                options.Threads,
                options.Seed,
                options.Smoke),
            Inference = inference,
            Comparison = comparison,
            Preprocessing = preprocessing,
            DutyCycle = new DutyCycleSection(spinningOn, spinningOff),
            Memory = memory,
            Capacity = capacity,
            External = external,
            PeakResidentBytesAtEnd = ProcessMemory.PeakResidentBytes(),
        };
        var elapsedSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        BenchLog.BenchFinished(_logger, elapsedSeconds);
        return report;
    }

    private ComparisonSection Compare(InferenceEngine engine, float[][] inputs, int channels, int samples)
    {
        var path = _options.CompareOnnxPath;
        if (path is null)
        {
            return new ComparisonSection(false, "no graph given; pass --compare-onnx FILE", null, null, null, null);
        }

        GraphRunner other;
        try
        {
            other = new GraphRunner(path, _options.Threads, allowSpinning: true, channels, samples);
        }
        catch (InvalidDataException ex)
        {
            BenchLog.ComparisonUnavailable(_logger, ex.Message);
            return new ComparisonSection(false, ex.Message, path, null, null, null);
        }

        using (other)
        {
            return InferenceBench.Compare(engine, other, path, inputs, _options.Warmup, _options.Windows);
        }
    }

    private async Task<IReadOnlyList<ExternalSection>> RunExternalAsync(
        BenchContext context,
        CancellationToken cancellationToken)
    {
        var sections = new List<ExternalSection>();
        foreach (var name in ExternalSectionNames.All)
        {
            var bench = _external.FirstOrDefault(
                candidate => string.Equals(candidate.Name, name, StringComparison.Ordinal));
            if (!_options.RunBroker)
            {
                sections.Add(
                    new ExternalSection(name, false, "skipped with --no-broker", new Dictionary<string, double>()));
                continue;
            }

            if (bench is null)
            {
                sections.Add(new ExternalSection(
                    name,
                    false,
                    "not available in this build: it needs MQTT ingest and alert publishing",
                    new Dictionary<string, double>()));
                continue;
            }

            BenchLog.SectionStarting(_logger, name);
            sections.Add(await bench.RunAsync(context, cancellationToken));
        }

        return sections;
    }
}
