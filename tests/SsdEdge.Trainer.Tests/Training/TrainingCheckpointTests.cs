using SsdEdge.Datasets;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Training;
using Xunit;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Tests.Training;

[Collection(TorchGlobalStateGroup.Name)]
public sealed class TrainingCheckpointTests : IDisposable
{
    private const int Samples = 1024;
    private static readonly PainAttnNetConfig TinyConfig =
        new() { WindowSamples = Samples, EncoderLayers = 1 };

    private readonly string _folder =
        Directory.CreateTempSubdirectory("ssdedge-training-checkpoint-").FullName;

    private readonly WindowDataset _train =
        SyntheticWindows.SineAmplitude(windowsPerSubject: 8, subjects: 2, Samples, seed: 31);

    private readonly WindowDataset _validation =
        SyntheticWindows.SineAmplitude(windowsPerSubject: 4, subjects: 2, Samples, seed: 32);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private string CheckpointFile => TrainingCheckpoint.PathIn(_folder);

    [Fact]
    public void Fit_ResumedAfterSecondEpoch_MatchesUninterruptedRun()
    {
        var options = Options(epochs: 4) with
        {
            LearningRateSchedule = LearningRateSchedule.Cosine(minimumLearningRate: 1e-5, warmupEpochs: 1),
        };
        using var uninterruptedModel = CreateModel(seed: 33);
        using var uninterrupted =
            new TeacherTrainer(options).Fit(uninterruptedModel, _train, _validation, Cancellation);

        InterruptAfter(epoch: 2, options with { CheckpointDirectory = _folder }, modelSeed: 33);
        using var resumedModel = CreateModel(seed: 34);
        var resumeOptions = options with { CheckpointDirectory = _folder, Resume = true };
        using var resumed =
            new TeacherTrainer(resumeOptions).Fit(resumedModel, _train, _validation, Cancellation);

        Assert.Equal(2, resumed.ResumedFromEpoch);
        Assert.Equal(TrainLosses(uninterrupted), TrainLosses(resumed));
        Assert.Equal(ValidationLosses(uninterrupted), ValidationLosses(resumed));
        Assert.Equal(LearningRates(uninterrupted), LearningRates(resumed));
        Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
        Assert.Empty(DifferingEntries(uninterruptedModel.state_dict(), resumedModel.state_dict()));
        Assert.Empty(DifferingEntries(uninterrupted.BestState!, resumed.BestState!));
    }

    [Fact]
    public void Fit_EveryTwoEpochs_ResumesFromLastSaved()
    {
        var options = Options(epochs: 4) with { CheckpointDirectory = _folder, CheckpointEveryEpochs = 2 };
        InterruptAfter(epoch: 3, options, modelSeed: 35);
        var resumedEpochs = new List<int>();
        using var model = CreateModel(seed: 35);
        var resumeOptions = options with { Resume = true, Progress = epoch => resumedEpochs.Add(epoch.Epoch) };

        using var result = new TeacherTrainer(resumeOptions).Fit(model, _train, _validation, Cancellation);

        Assert.Equal(2, result.ResumedFromEpoch);
        Assert.Equal([3, 4], resumedEpochs);
        Assert.Equal([1, 2, 3, 4], result.History.Select(epoch => epoch.Epoch));
    }

    [Fact]
    public void Fit_ResumeFinishedRun_ReturnsStoredResult()
    {
        var options = Options(epochs: 2) with { CheckpointDirectory = _folder };
        using var trainedModel = CreateModel(seed: 36);
        using var trained = new TeacherTrainer(options).Fit(trainedModel, _train, _validation, Cancellation);
        var steps = 0;
        using var model = CreateModel(seed: 37);
        var resumeOptions = options with { Resume = true, BatchProgress = _ => steps++ };

        using var result = new TeacherTrainer(resumeOptions).Fit(model, _train, _validation, Cancellation);

        Assert.Equal(0, steps);
        Assert.Equal(2, result.ResumedFromEpoch);
        Assert.Equal(TrainLosses(trained), TrainLosses(result));
        Assert.Equal(trained.BestEpoch, result.BestEpoch);
        Assert.Empty(DifferingEntries(trainedModel.state_dict(), model.state_dict()));
        Assert.False(model.training, "a resumed model should end in eval mode.");
    }

    [Fact]
    public void Fit_MoreEpochsAtConstantRate_ContinuesRun()
    {
        var options = Options(epochs: 1) with { CheckpointDirectory = _folder };
        using (var first = CreateModel(seed: 38))
        {
            using var firstResult = new TeacherTrainer(options).Fit(first, _train, _validation, Cancellation);
        }

        using var model = CreateModel(seed: 38);
        var longer = options with { Epochs = 2, Resume = true };

        using var result = new TeacherTrainer(longer).Fit(model, _train, _validation, Cancellation);

        Assert.Equal(1, result.ResumedFromEpoch);
        Assert.Equal(2, result.History.Count);
    }

    [Fact]
    public void Fit_ResumeWithoutCheckpoint_TrainsFromScratch()
    {
        using var model = CreateModel(seed: 39);
        var options = Options(epochs: 1) with { CheckpointDirectory = _folder, Resume = true };

        using var result = new TeacherTrainer(options).Fit(model, _train, null, Cancellation);

        Assert.Equal(0, result.ResumedFromEpoch);
        Assert.True(File.Exists(CheckpointFile), $"no checkpoint at {CheckpointFile}.");
        Assert.False(File.Exists(CheckpointFile + ".tmp"), "the temporary checkpoint file was left behind.");
    }

    [Fact]
    public void Fit_TruncatedCheckpoint_ThrowsNamingFile()
    {
        TrainOneEpochWithCheckpoint(seed: 40);
        var bytes = File.ReadAllBytes(CheckpointFile);
        File.WriteAllBytes(CheckpointFile, bytes.AsSpan(0, bytes.Length / 2).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => Resume(Options(epochs: 2), seed: 41));

        Assert.Contains(CheckpointFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_CorruptCheckpoint_ThrowsNamingFile()
    {
        TrainOneEpochWithCheckpoint(seed: 42);
        var bytes = File.ReadAllBytes(CheckpointFile);
        bytes[^100] ^= 0xFF;
        File.WriteAllBytes(CheckpointFile, bytes);

        var error = Assert.Throws<InvalidDataException>(() => Resume(Options(epochs: 2), seed: 43));

        Assert.Contains(CheckpointFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_ForeignFileAsCheckpoint_ThrowsNamingFile()
    {
        File.WriteAllText(CheckpointFile, "not a checkpoint");

        var error = Assert.Throws<InvalidDataException>(() => Resume(Options(epochs: 1), seed: 44));

        Assert.Contains(CheckpointFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_OtherBatchSize_ThrowsNamingBothConfigs()
    {
        TrainOneEpochWithCheckpoint(seed: 45);

        var error = Assert.Throws<InvalidOperationException>(
            () => Resume(Options(epochs: 2) with { BatchSize = 8 }, seed: 46));

        Assert.Contains(CheckpointFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("batch size is 4 in the checkpoint but 8 in this run", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("TrainingFingerprint", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PainAttnNetConfig", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("{", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_OtherModel_NamesOnlyDifferingProperty()
    {
        var stored = new TrainingFingerprint(
            new PainAttnNetConfig(), 2, 16, 1e-3, LearningRateSchedule.Constant, 1e-3, true, 1,
            BestEpochCriterion.ValidationAccuracy, "train", null);
        var current = stored with { Model = new PainAttnNetConfig { Heads = 3 }, Epochs = 1 };

        var differences = stored.Differences(current);

        Assert.Equal(2, differences.Count);
        Assert.Equal("model.Heads is 5 in the checkpoint but 3 in this run", differences[0]);
        Assert.Equal("epochs is 2 in the checkpoint but 1 in this run", differences[1]);
    }

    [Fact]
    public void Fit_OtherTrainingData_Throws()
    {
        TrainOneEpochWithCheckpoint(seed: 47);
        var otherData = SyntheticWindows.SineAmplitude(windowsPerSubject: 8, subjects: 2, Samples, seed: 48);
        using var model = CreateModel(seed: 49);
        var options = Options(epochs: 2) with { CheckpointDirectory = _folder, Resume = true };

        var error = Assert.Throws<InvalidOperationException>(
            () => { using var result = new TeacherTrainer(options).Fit(model, otherData, null, Cancellation); });

        Assert.Contains("training data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_CosineRunWithOtherEpochCount_Throws()
    {
        var options = Options(epochs: 2) with { LearningRateSchedule = LearningRateSchedule.Cosine() };
        using (var model = CreateModel(seed: 50))
        {
            using var result = new TeacherTrainer(options with { CheckpointDirectory = _folder })
                .Fit(model, _train, null, Cancellation);
        }

        var error = Assert.Throws<InvalidOperationException>(() => Resume(options with { Epochs = 3 }, seed: 51));

        Assert.Contains("epochs is 2 in the checkpoint but 3 in this run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_ExistingCheckpointWithoutResume_ThrowsNamingFile()
    {
        TrainOneEpochWithCheckpoint(seed: 52);
        using var model = CreateModel(seed: 53);
        var options = Options(epochs: 1) with { CheckpointDirectory = _folder };

        var error = Assert.Throws<InvalidOperationException>(
            () => { using var result = new TeacherTrainer(options).Fit(model, _train, null, Cancellation); });

        Assert.Contains(CheckpointFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("Resume", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ResumeWithoutDirectory_RejectedByValidate()
    {
        var options = new TrainingOptions { Resume = true };

        Assert.Throws<ArgumentException>(options.Validate);
    }

    private static TrainingOptions Options(int epochs) =>
        new() { Epochs = epochs, BatchSize = 4, Device = "cpu", CpuThreads = 1, Seed = 30 };

    private static PainAttnNet CreateModel(int seed)
    {
        manual_seed(seed);
        return new PainAttnNet(TinyConfig);
    }

    private static double[] TrainLosses(TrainingResult result) =>
        result.History.Select(epoch => epoch.TrainLoss).ToArray();

    private static double[] ValidationLosses(TrainingResult result) =>
        result.History.Select(epoch => epoch.ValidationLoss!.Value).ToArray();

    private static double[] LearningRates(TrainingResult result) =>
        result.History.Select(epoch => epoch.LearningRate!.Value).ToArray();

    private static List<string> DifferingEntries(
        IReadOnlyDictionary<string, Tensor> expected,
        IReadOnlyDictionary<string, Tensor> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        return expected
            .Where(entry => !entry.Value.allclose(actual[entry.Key], rtol: 0, atol: 0))
            .Select(entry => entry.Key)
            .ToList();
    }

    private void InterruptAfter(int epoch, TrainingOptions options, int modelSeed)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        using var model = CreateModel(modelSeed);
        var interrupted = options with
        {
            Progress = metrics =>
            {
                if (metrics.Epoch == epoch)
                {
                    cancellation.Cancel();
                }
            },
        };

        var trainer = new TeacherTrainer(interrupted);

        Assert.Throws<OperationCanceledException>(
            () => { using var result = trainer.Fit(model, _train, _validation, cancellation.Token); });
    }

    private void TrainOneEpochWithCheckpoint(int seed)
    {
        using var model = CreateModel(seed);
        var options = Options(epochs: 1) with { CheckpointDirectory = _folder };
        using var result = new TeacherTrainer(options).Fit(model, _train, null, Cancellation);
    }

    private void Resume(TrainingOptions options, int seed)
    {
        using var model = CreateModel(seed);
        var resume = options with { CheckpointDirectory = _folder, Resume = true };
        using var result = new TeacherTrainer(resume).Fit(model, _train, null, Cancellation);
    }
}
