using SsdEdge.Datasets;
using SsdEdge.Trainer.Distillation;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Tests.Training;
using SsdEdge.Trainer.Training;
using Xunit;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Tests.Distillation;

[Collection(TorchGlobalStateGroup.Name)]
public sealed class StudentDistillerResumeTests : IDisposable
{
    private const int Samples = 1024;
    private static readonly PainAttnNetConfig TinyConfig = new() { WindowSamples = Samples, EncoderLayers = 1 };

    private readonly string _folder = Directory.CreateTempSubdirectory("ssdedge-distill-checkpoint-").FullName;

    private readonly WindowDataset _train =
        SyntheticWindows.SineAmplitude(windowsPerSubject: 6, subjects: 2, Samples, seed: 41);

    private readonly WindowDataset _validation =
        SyntheticWindows.SineAmplitude(windowsPerSubject: 4, subjects: 1, Samples, seed: 42);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public void Fit_ResumedAfterSecondEpoch_MatchesUninterruptedRun()
    {
        var options = Options(epochs: 3);
        using var teacherModel = CreateTeacher();
        using var uninterruptedStudent = CreateStudent(teacherModel);
        using var uninterrupted = new StudentDistiller(options).Fit(
            uninterruptedStudent,
            Teacher(teacherModel),
            _train,
            _validation,
            Cancellation);

        var checkpointed = options with { Training = options.Training with { CheckpointDirectory = _folder } };
        InterruptAfter(epoch: 2, checkpointed, teacherModel);
        using var resumedStudent = CreateStudent(teacherModel);
        var resume = checkpointed with { Training = checkpointed.Training with { Resume = true } };
        using var resumed = new StudentDistiller(resume).Fit(
            resumedStudent,
            Teacher(teacherModel),
            _train,
            _validation,
            Cancellation);

        Assert.Equal(2, resumed.ResumedFromEpoch);
        Assert.Equal(TrainLosses(uninterrupted), TrainLosses(resumed));
        Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
        Assert.Empty(DifferingEntries(uninterruptedStudent.state_dict(), resumedStudent.state_dict()));
    }

    [Fact]
    public void Fit_OtherDistillationSettings_RefusesCheckpoint()
    {
        var options = Options(epochs: 2) with
        {
            Training = Options(epochs: 2).Training with { CheckpointDirectory = _folder },
        };
        using var teacherModel = CreateTeacher();
        InterruptAfter(epoch: 1, options, teacherModel);
        using var student = CreateStudent(teacherModel);
        var other = options with { Temperature = 2, Training = options.Training with { Resume = true } };

        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            using var result = new StudentDistiller(other).Fit(
                student,
                Teacher(teacherModel),
                _train,
                _validation,
                Cancellation);
        });

        Assert.Contains("distillation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_CheckpointWithoutResume_Throws()
    {
        var options = Options(epochs: 2) with
        {
            Training = Options(epochs: 2).Training with { CheckpointDirectory = _folder },
        };
        using var teacherModel = CreateTeacher();
        InterruptAfter(epoch: 1, options, teacherModel);
        using var student = CreateStudent(teacherModel);

        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            using var result = new StudentDistiller(options).Fit(
                student,
                Teacher(teacherModel),
                _train,
                _validation,
                Cancellation);
        });

        Assert.Contains("--resume", error.Message, StringComparison.Ordinal);
    }

    private static DistillationOptions Options(int epochs) => new()
    {
        Passes = 3,
        Training = new TrainingOptions
        {
            Epochs = epochs,
            BatchSize = 4,
            Seed = 43,
            Device = "cpu",
            CpuThreads = 1,
        },
    };

    private static PainAttnNet CreateTeacher()
    {
        set_num_threads(1);
        manual_seed(44);
        return new PainAttnNet(TinyConfig);
    }

    private static PainAttnNet CreateStudent(PainAttnNet teacher) =>
        StudentDistiller.CreateStudent(teacher, StudentInitialization.Teacher, seed: 45);

    // A fresh teacher wrapper each time, as a new process would build it.
    private static StochasticTeacher Teacher(PainAttnNet model) =>
        new(model, StochasticLayers.Parse("encoder"));

    private static double[] TrainLosses(TrainingResult result) =>
        result.History.Select(epoch => epoch.TrainLoss).ToArray();

    private static List<string> DifferingEntries(
        Dictionary<string, Tensor> expected,
        Dictionary<string, Tensor> actual)
    {
        var differing = new List<string>();
        foreach (var (name, value) in expected)
        {
            if (!actual.TryGetValue(name, out var other) || !value.equal(other).all().item<bool>())
            {
                differing.Add(name);
            }
        }

        return differing;
    }

    private void InterruptAfter(int epoch, DistillationOptions options, PainAttnNet teacherModel)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        using var student = CreateStudent(teacherModel);
        var interrupted = options with
        {
            Training = options.Training with
            {
                Progress = metrics =>
                {
                    if (metrics.Epoch == epoch)
                    {
                        cancellation.Cancel();
                    }
                },
            },
        };
        var distiller = new StudentDistiller(interrupted);

        Assert.Throws<OperationCanceledException>(() =>
        {
            using var result = distiller.Fit(student, Teacher(teacherModel), _train, _validation, cancellation.Token);
        });
    }
}
