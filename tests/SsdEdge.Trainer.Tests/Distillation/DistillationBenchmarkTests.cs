using SsdEdge.Trainer.Distillation;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Tests.Training;
using Xunit;

namespace SsdEdge.Trainer.Tests.Distillation;

[Collection(TorchGlobalStateGroup.Name)]
public sealed class DistillationBenchmarkTests
{
    [Fact]
    public void Run_TinyData_ReportsPlainThenEachPreset()
    {
        var data = SyntheticWindows.SineAmplitude(windowsPerSubject: 4, subjects: 1, samples: 1024, seed: 51);
        var options = Tiny(batchSize: 4, "encoder", "head") with { Repeats = 2 };

        var result = DistillationBenchmark.Run(data, options);

        Assert.Equal(["plain", "encoder", "head"], result.Cases.Select(item => item.Name));
        Assert.All(result.Cases, item => Assert.Equal(2, item.EpochSeconds.Count));
        Assert.All(result.Cases, item => Assert.True(item.MedianSeconds > 0, $"{item.Name} took no time"));
        Assert.Equal(1.0, result.Cases[0].RatioToPlain);
        Assert.True(result.Cases[1].TeacherSuffixMacs > result.Cases[2].TeacherSuffixMacs);
        Assert.Contains("| head |", result.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_LateHead_ReportsFusionSplit()
    {
        var data = SyntheticWindows.SineAmplitude(windowsPerSubject: 4, subjects: 1, samples: 1024, seed: 53);
        var options = Tiny(batchSize: 4, "head") with { Fusion = PainAttnNetFusion.Late, FusionHiddenUnits = 16 };

        var result = DistillationBenchmark.Run(data, options);

        var head = result.Cases[1];
        Assert.Equal(PainAttnNetFusion.Late, result.Config.Fusion);
        Assert.Equal(16 * 2250L, result.Stages.Fusion);
        Assert.Equal(0L, head.TeacherSuffixMacs);
        Assert.Equal(result.Stages.Total - result.Stages.Head, head.TeacherPrefixMacs);
        Assert.Contains("fusion dropout per pass", head.Split, StringComparison.Ordinal);
        Assert.Contains("late fusion", result.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TinyData_WarmsUpBeforeRoundOne()
    {
        var data = SyntheticWindows.SineAmplitude(windowsPerSubject: 6, subjects: 1, samples: 1024, seed: 54);
        var options = Tiny(batchSize: 2, "head");
        var lines = new List<string>();

        var result = DistillationBenchmark.Run(data, options, lines.Add);

        Assert.Equal(6, result.Windows);
        Assert.Equal(4, result.WarmupWindows);
        Assert.Equal("  warm-up: plain, head once on 4 windows, untimed", lines[0]);
        Assert.StartsWith("  round 1: plain", lines[1], StringComparison.Ordinal);
        Assert.Contains("untimed warm-up on 4 windows", result.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_FewWindows_WarmsUpOnAll()
    {
        var data = SyntheticWindows.SineAmplitude(windowsPerSubject: 3, subjects: 1, samples: 1024, seed: 55);
        var options = Tiny(batchSize: 4, "head");

        var result = DistillationBenchmark.Run(data, options);

        Assert.Equal(3, result.WarmupWindows);
    }

    [Fact]
    public void Run_UnknownPreset_NamesPresetsBeforeTiming()
    {
        var data = SyntheticWindows.SineAmplitude(windowsPerSubject: 2, subjects: 1, samples: 1024, seed: 56);
        var options = new DistillationBenchmarkOptions { Passes = 2, BatchSize = 2, Presets = ["encoder", "bogus"] };
        var lines = new List<string>();

        var error = Assert.Throws<ArgumentException>(() => DistillationBenchmark.Run(data, options, lines.Add));

        Assert.StartsWith("--presets 'bogus' matches no dropout module.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--stochastic-layers", error.Message, StringComparison.Ordinal);
        Assert.Empty(lines);
    }

    [Fact]
    public void Run_LateHeadRateZero_RejectsBeforeTiming()
    {
        var data = SyntheticWindows.SineAmplitude(windowsPerSubject: 2, subjects: 1, samples: 1024, seed: 57);
        var options = new DistillationBenchmarkOptions
        {
            Passes = 2,
            BatchSize = 2,
            Presets = ["head"],
            Fusion = PainAttnNetFusion.Late,
            FusionHiddenUnits = 16,
            FusionDropout = 0,
        };
        var lines = new List<string>();

        var error = Assert.Throws<ArgumentException>(() => DistillationBenchmark.Run(data, options, lines.Add));

        Assert.StartsWith("--presets 'head' switches on only modules of dropout rate 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("--fusion-dropout", error.Message, StringComparison.Ordinal);
        Assert.Empty(lines);
    }

    [Fact]
    public void Run_NoPresets_Throws()
    {
        var data = SyntheticWindows.SineAmplitude(windowsPerSubject: 2, subjects: 1, samples: 1024, seed: 52);

        Assert.Throws<ArgumentException>(
            () => DistillationBenchmark.Run(data, new DistillationBenchmarkOptions { Presets = [] }));
    }

    // Two passes, one round on one thread: enough to run every case, not to time it.
    private static DistillationBenchmarkOptions Tiny(int batchSize, params string[] presets) => new()
    {
        Passes = 2,
        BatchSize = batchSize,
        Presets = presets,
        Repeats = 1,
        CpuThreads = 1,
    };
}
