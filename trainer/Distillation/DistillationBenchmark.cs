using System.Diagnostics;
using System.Globalization;
using System.Text;
using SsdEdge.Datasets;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Training;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Distillation;

/// <summary>Settings of <see cref="DistillationBenchmark"/>.</summary>
public sealed record DistillationBenchmarkOptions
{
    /// <summary>Stochastic teacher passes N.</summary>
    public int Passes { get; init; } = 30;

    /// <summary>Windows per optimiser step, the same for every case.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Stochastic-layer selections to time, each as one SSD case.</summary>
    public IReadOnlyList<string> Presets { get; init; } = ["encoder", "head", "all"];

    /// <summary>Rounds; each round times one epoch of every case, in turn.</summary>
    public int Repeats { get; init; } = 3;

    /// <summary>Seed of the random teacher weights, shuffling and dropout.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>libtorch CPU threads; null keeps the default.</summary>
    public int? CpuThreads { get; init; }

    /// <summary>Chunk bound of the teacher's stochastic part, as <see cref="DistillationOptions.TeacherChunkRows"/>.</summary>
    public int? TeacherChunkRows { get; init; }

    /// <summary>Where the timed models combine their input channels.</summary>
    public PainAttnNetFusion Fusion { get; init; } = PainAttnNetFusion.Early;

    /// <summary>Hidden units of the late-fusion head, ignored with early fusion.</summary>
    public int FusionHiddenUnits { get; init; } = new PainAttnNetConfig().FusionHiddenUnits;

    /// <summary>Dropout rate of the late-fusion head, ignored with early fusion.</summary>
    public double FusionDropout { get; init; } = new PainAttnNetConfig().FusionDropout;

    /// <summary>Checks that every setting is usable.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Passes < 2)
        {
            throw new ArgumentException($"--passes {Passes} is invalid; use at least 2, such as 30.");
        }

        if (BatchSize < 1)
        {
            throw new ArgumentException($"--batch-size {BatchSize} is invalid; use at least 1, such as 32.");
        }

        if (Repeats < 1)
        {
            throw new ArgumentException($"--repeats {Repeats} is invalid; use at least 1, such as 3.");
        }

        if (Presets is null || Presets.Count == 0)
        {
            throw new ArgumentException("--presets is empty; name at least one, such as encoder.");
        }

        if (TeacherChunkRows is < 1)
        {
            throw new ArgumentException($"--teacher-chunk-rows {TeacherChunkRows} is invalid; use at least 1.");
        }

        if (FusionHiddenUnits < 1)
        {
            throw new ArgumentException($"--fusion-hidden {FusionHiddenUnits} is invalid; use at least 1, such as 128.");
        }

        if (!(FusionDropout >= 0 && FusionDropout < 1))
        {
            throw new ArgumentException(
                $"--fusion-dropout {FusionDropout} is invalid; use a rate from 0 up to but not including 1, such as 0.5.");
        }
    }
}

/// <summary>One timed case of the benchmark.</summary>
/// <param name="Name"><c>plain</c> for cross-entropy training, else the stochastic-layer selection.</param>
/// <param name="Split">Which part of the teacher runs once per batch and which per pass.</param>
/// <param name="EpochSeconds">Wall time of each round's epoch, in seconds.</param>
/// <param name="MedianSeconds">Median of <paramref name="EpochSeconds"/>.</param>
/// <param name="RatioToPlain">Median over the plain case's median.</param>
/// <param name="TeacherPrefixMacs">Teacher multiply-accumulates per window run once per batch.</param>
/// <param name="TeacherSuffixMacs">Teacher multiply-accumulates per window and pass.</param>
/// <param name="ModelRatio">Cost model's ratio: (3·M + prefix + N·suffix) / (3·M), M the whole model.</param>
public sealed record DistillationBenchmarkCase(
    string Name,
    string Split,
    IReadOnlyList<double> EpochSeconds,
    double MedianSeconds,
    double RatioToPlain,
    long TeacherPrefixMacs,
    long TeacherSuffixMacs,
    double ModelRatio);

/// <summary>Result of <see cref="DistillationBenchmark.Run"/>.</summary>
/// <param name="Windows">Training windows per epoch.</param>
/// <param name="WarmupWindows">Windows of the untimed warm-up epoch that every case ran once
/// before round 1.</param>
/// <param name="Config">Model shape.</param>
/// <param name="Options">Settings used.</param>
/// <param name="Threads">libtorch CPU threads during the run.</param>
/// <param name="Stages">Multiply-accumulates per window by stage, for the cost model.</param>
/// <param name="Cases">The plain case first, then one per selection.</param>
public sealed record DistillationBenchmarkResult(
    int Windows,
    int WarmupWindows,
    PainAttnNetConfig Config,
    DistillationBenchmarkOptions Options,
    int Threads,
    PainAttnNetStageComplexity Stages,
    IReadOnlyList<DistillationBenchmarkCase> Cases)
{
    /// <summary>Formats the cases as a Markdown table.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        var fusion = Config.Fusion == PainAttnNetFusion.Late
            ? string.Create(
                CultureInfo.InvariantCulture,
                $", late fusion ({Config.Trunks} trunks, {Config.FusionHiddenUnits} hidden units, dropout {Config.FusionDropout})")
            : ", early fusion";
        text.AppendLine(CultureInfo.InvariantCulture, $"{Windows} windows, batch {Options.BatchSize}, N = {Options.Passes}, "
            + $"{Options.Repeats} rounds after an untimed warm-up on {WarmupWindows} windows, {Threads} thread(s){fusion}");
        var fusionLinear = Config.Fusion == PainAttnNetFusion.Late
            ? string.Create(CultureInfo.InvariantCulture, $"fusion Linear {Stages.Fusion:N0}, ")
            : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"MACs per window: MSCN {Stages.Mscn:N0}, SE-ResNet {Stages.SeResNet:N0}, "
            + $"encoder layer {Stages.PerEncoderLayer:N0} (start {Stages.EncoderLayerStart:N0}) x {Stages.EncoderLayers}, "
            + $"{fusionLinear}head {Stages.Head:N0}, total {Stages.Total:N0}");
        text.AppendLine();
        text.AppendLine("| case | teacher split | teacher MACs once + per pass | median epoch (s) | ratio to plain | cost model ratio | epochs (s) |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var item in Cases)
        {
            var epochs = string.Join(", ", item.EpochSeconds.Select(value => value.ToString("F2", CultureInfo.InvariantCulture)));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {item.Name} | {item.Split} | "
                + $"{item.TeacherPrefixMacs:N0} + {item.TeacherSuffixMacs:N0} | {item.MedianSeconds:F2} | "
                + $"{item.RatioToPlain:F2} | {item.ModelRatio:F2} | {epochs} |");
        }

        return text.ToString();
    }
}

/// <summary>
/// Times one plain cross-entropy epoch and one SSD epoch per stochastic-layer selection on the
/// same windows and batch size, interleaved round by round so that slow spells of a shared
/// machine fall on every case alike. The teacher has random weights: the cost does not depend
/// on them.
/// </summary>
/// <remarks>
/// Before round 1, every case runs one untimed epoch on the first min(windows, 2 × batch size)
/// windows. Libtorch's first-call set-up and the .NET JIT are then paid before any timing, not by
/// the plain case of round 1.
/// </remarks>
public static class DistillationBenchmark
{
    /// <summary>Runs the benchmark on <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">A setting is invalid, or a selection matches no module
    /// or only modules of dropout rate 0; both are checked before any case runs.</exception>
    public static DistillationBenchmarkResult Run(
        WindowDataset data,
        DistillationBenchmarkOptions options,
        Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (data.Count == 0)
        {
            throw new ArgumentException("The benchmark data has no windows.", nameof(data));
        }

        var config = new PainAttnNetConfig
        {
            InputChannels = data.ChannelCount,
            WindowSamples = data.WindowSamples,
            Classes = data.ClassLabels.Count,
            Fusion = options.Fusion,
            FusionHiddenUnits = options.FusionHiddenUnits,
            FusionDropout = options.FusionDropout,
        };
        config.Validate();
        if (options.CpuThreads is { } threads)
        {
            set_num_threads(threads);
        }

        var layers = options.Presets.Select(ParsePreset).ToArray();
        CheckPresets(config, layers);
        var training = new TrainingOptions
        {
            Epochs = 1,
            BatchSize = options.BatchSize,
            Seed = options.Seed,
            Device = "cpu",
            CpuThreads = options.CpuThreads,
        };
        var names = layers.Select(layer => layer.Specification).Prepend("plain").ToArray();
        var seconds = names.Select(_ => new List<double>()).ToArray();
        var stages = PainAttnNetComplexity.StagesOf(config);
        var splits = new string[names.Length];
        var teacherMacs = new (long Prefix, long Suffix)[names.Length];
        splits[0] = "no teacher";

        // Untimed warm-up of every case on a few batches.
        var warmup = data.Subset(Enumerable.Range(0, Math.Min(data.Count, 2 * options.BatchSize)).ToArray());
        log?.Invoke($"  warm-up: {string.Join(", ", names)} once on {warmup.Count} windows, untimed");
        _ = TimePlain(config, warmup, training);
        foreach (var layer in layers)
        {
            _ = TimeDistillation(config, warmup, training, layer, options, stages);
        }

        // Timed rounds.
        for (var round = 1; round <= options.Repeats; round++)
        {
            seconds[0].Add(TimePlain(config, data, training));
            log?.Invoke(Line(round, names[0], seconds[0][^1]));
            for (var index = 0; index < layers.Length; index++)
            {
                var (elapsed, split, macs) = TimeDistillation(config, data, training, layers[index], options, stages);
                seconds[index + 1].Add(elapsed);
                splits[index + 1] = split;
                teacherMacs[index + 1] = macs;
                log?.Invoke(Line(round, names[index + 1], elapsed));
            }
        }

        var plainMedian = Median(seconds[0]);
        var cases = new List<DistillationBenchmarkCase>();
        for (var index = 0; index < names.Length; index++)
        {
            var median = Median(seconds[index]);
            var (prefix, suffix) = teacherMacs[index];
            var student = 3.0 * stages.Total;
            var model = (student + prefix + (options.Passes * (double)suffix)) / student;
            cases.Add(new DistillationBenchmarkCase(
                names[index],
                splits[index],
                seconds[index],
                median,
                median / plainMedian,
                prefix,
                suffix,
                index == 0 ? 1 : model));
        }

        return new DistillationBenchmarkResult(
            data.Count,
            warmup.Count,
            config,
            options,
            get_num_threads(),
            stages,
            cases);
    }

    private static StochasticLayers ParsePreset(string preset)
    {
        if (string.IsNullOrWhiteSpace(preset))
        {
            throw new ArgumentException("--presets contains an empty selection; name all, encoder, head or a module-name glob.");
        }

        return StochasticLayers.Parse(preset);
    }

    // Each selection must switch on a dropout of a rate above 0, or its teacher passes would be
    // identical and the case would fail after the cases before it had run.
    private static void CheckPresets(PainAttnNetConfig config, IReadOnlyList<StochasticLayers> layers)
    {
        using var model = new PainAttnNet(config);
        foreach (var layer in layers)
        {
            var active = layer.Select(model);
            if (active.Count == 0)
            {
                throw new ArgumentException(
                    $"--presets '{layer}' matches no dropout module. Use all, encoder, head or a pattern "
                    + $"matching one of: {string.Join(", ", StochasticLayers.Candidates(model))}.");
            }

            if (StochasticTeacher.DropoutRatesOf(model, active).All(rate => rate == 0))
            {
                throw new ArgumentException(
                    $"--presets '{layer}' switches on only modules of dropout rate 0 ({string.Join(", ", active)}), "
                    + "so its teacher passes would be identical. Choose another selection, or raise "
                    + "--fusion-dropout above 0 for the late-fusion head.");
            }
        }
    }

    private static double TimePlain(PainAttnNetConfig config, WindowDataset data, TrainingOptions training)
    {
        manual_seed(training.Seed);
        using var model = new PainAttnNet(config);
        var clock = Stopwatch.StartNew();
        using var result = new TeacherTrainer(training).Fit(model, data);
        return clock.Elapsed.TotalSeconds;
    }

    private static (double Seconds, string Split, (long Prefix, long Suffix) Macs) TimeDistillation(
        PainAttnNetConfig config,
        WindowDataset data,
        TrainingOptions training,
        StochasticLayers layers,
        DistillationBenchmarkOptions options,
        PainAttnNetStageComplexity stages)
    {
        manual_seed(training.Seed);
        using var teacherModel = new PainAttnNet(config);
        var teacher = new StochasticTeacher(teacherModel, layers, chunkRows: options.TeacherChunkRows);
        using var student = StudentDistiller.CreateStudent(teacherModel, StudentInitialization.Teacher, training.Seed);
        var distillation = new DistillationOptions
        {
            Passes = options.Passes,
            StochasticLayers = layers,
            TeacherChunkRows = options.TeacherChunkRows,
            Training = training,
        };
        var clock = Stopwatch.StartNew();
        using var result = new StudentDistiller(distillation).Fit(student, teacher, data);
        return (clock.Elapsed.TotalSeconds, teacher.DescribeSplit(), TeacherMacs(teacher, stages));
    }

    // Teacher MACs per window, once per batch and once per pass. The fusion dropout alone has none.
    private static (long Prefix, long Suffix) TeacherMacs(StochasticTeacher teacher, PainAttnNetStageComplexity stages) =>
        teacher.FusionDropoutOnly
            ? (stages.PrefixBeforeFusionDropout, 0)
            : (stages.Prefix(teacher.PrefixEncoderLayers), stages.Suffix(teacher.PrefixEncoderLayers));

    private static string Line(int round, string name, double seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"  round {round}: {name} epoch {seconds:F2} s");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
