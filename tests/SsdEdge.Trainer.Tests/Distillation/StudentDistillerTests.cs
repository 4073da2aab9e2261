using SsdEdge.Trainer.Distillation;
using SsdEdge.Trainer.Model;
using SsdEdge.Trainer.Tests.Training;
using SsdEdge.Trainer.Training;
using Xunit;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Tests.Distillation;

[Collection(TorchGlobalStateGroup.Name)]
public sealed class StudentDistillerTests
{
    private const int Samples = 1024;
    private static readonly PainAttnNetConfig SmallConfig = new() { WindowSamples = Samples };

    [Fact]
    public void CreateStudent_TeacherInitialization_CopiesEveryTensor()
    {
        manual_seed(1);
        using var teacher = new PainAttnNet(SmallConfig);

        using var student = StudentDistiller.CreateStudent(teacher, StudentInitialization.Teacher, seed: 7);

        var teacherState = teacher.state_dict();
        foreach (var (name, value) in student.state_dict())
        {
            Assert.True(Same(value, teacherState[name]), $"{name} differs from the teacher");
        }
    }

    [Fact]
    public void CreateStudent_FreshInitialization_DiffersFromTeacher()
    {
        manual_seed(1);
        using var teacher = new PainAttnNet(SmallConfig);

        using var student = StudentDistiller.CreateStudent(teacher, StudentInitialization.Fresh, seed: 7);

        var teacherWeight = teacher.state_dict()["fc.weight"];
        Assert.False(Same(student.state_dict()["fc.weight"], teacherWeight));
    }

    [Fact]
    public void Fit_TwoEpochs_StudentTrainsInTrainingModeAndTeacherStaysUnchanged()
    {
        set_num_threads(1);
        var train = SyntheticWindows.SineAmplitude(windowsPerSubject: 6, subjects: 2, Samples, seed: 1);
        var validation = SyntheticWindows.SineAmplitude(windowsPerSubject: 4, subjects: 1, Samples, seed: 2);
        manual_seed(3);
        using var teacherModel = new PainAttnNet(SmallConfig);
        var before = teacherModel.state_dict()
            .ToDictionary(entry => entry.Key, entry => entry.Value.clone());
        var teacher = new StochasticTeacher(teacherModel, StochasticLayers.Parse("encoder"));
        using var student = StudentDistiller.CreateStudent(teacherModel, StudentInitialization.Teacher, seed: 3);
        var modesDuringSteps = new List<bool>();
        var options = new DistillationOptions
        {
            Passes = 4,
            Training = new TrainingOptions
            {
                Epochs = 2,
                BatchSize = 6,
                Seed = 4,
                Device = "cpu",
                CpuThreads = 1,
                BatchProgress = _ => modesDuringSteps.Add(
                    student.modules().All(module => module.training)),
            },
        };

        using var result = new StudentDistiller(options).Fit(
            student,
            teacher,
            train,
            validation,
            TestContext.Current.CancellationToken);

        Assert.Equal(2, result.History.Count);
        Assert.Equal(4, modesDuringSteps.Count);
        Assert.All(modesDuringSteps, Assert.True);
        Assert.All(result.History, epoch => Assert.True(double.IsFinite(epoch.TrainLoss)));
        Assert.NotNull(result.BestEpoch);
        Assert.All(teacherModel.parameters(), parameter => Assert.Null(parameter.grad));
        foreach (var (name, value) in teacherModel.state_dict())
        {
            // BatchNorm running statistics included: the teacher stayed in eval mode.
            Assert.True(Same(value, before[name]), $"teacher tensor {name} changed");
        }

        Assert.Equal(2L * 12, teacher.MscnWindows);
        var studentChanged = !Same(student.state_dict()["fc.weight"], before["fc.weight"]);
        Assert.True(studentChanged, "the student did not learn");
    }

    [Fact]
    public void Fit_LogitDistillation_GivesFiniteLoss()
    {
        set_num_threads(1);
        var train = SyntheticWindows.SineAmplitude(windowsPerSubject: 4, subjects: 1, Samples, seed: 5);
        manual_seed(6);
        using var teacherModel = new PainAttnNet(SmallConfig);
        var teacher = new StochasticTeacher(teacherModel, StochasticLayers.Parse("head"));
        using var student = StudentDistiller.CreateStudent(teacherModel, StudentInitialization.Fresh, seed: 6);
        var options = new DistillationOptions
        {
            Passes = 3,
            LogitDistillationWeight = 0.5,
            DetachWeights = true,
            Training = new TrainingOptions { Epochs = 1, BatchSize = 4, Device = "cpu", CpuThreads = 1 },
        };

        using var result = new StudentDistiller(options).Fit(
            student,
            teacher,
            train,
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(double.IsFinite(result.LastEpoch.TrainLoss), $"loss {result.LastEpoch.TrainLoss}");
        Assert.Null(result.BestEpoch);
    }

    [Fact]
    public void Fit_MeanTarget_DiffersFromStudentGuided()
    {
        set_num_threads(1);
        var train = SyntheticWindows.SineAmplitude(windowsPerSubject: 4, subjects: 1, Samples, seed: 5);

        double FirstLoss(DistillationTarget target)
        {
            manual_seed(6);
            using var teacherModel = new PainAttnNet(SmallConfig);
            var teacher = new StochasticTeacher(teacherModel, StochasticLayers.Parse("encoder"));
            using var student = StudentDistiller.CreateStudent(teacherModel, StudentInitialization.Fresh, seed: 6);
            var options = new DistillationOptions
            {
                Passes = 3,
                Target = target,
                CrossEntropyWeight = 0,
                DistillationWeight = 1,
                Training = new TrainingOptions { Epochs = 1, BatchSize = 4, Device = "cpu", CpuThreads = 1, Seed = 2 },
            };
            using var result = new StudentDistiller(options).Fit(
                student,
                teacher,
                train,
                cancellationToken: TestContext.Current.CancellationToken);
            return result.LastEpoch.TrainLoss;
        }

        var guided = FirstLoss(DistillationTarget.StudentGuided);
        var mean = FirstLoss(DistillationTarget.Mean);

        Assert.True(double.IsFinite(mean), $"mean-target loss {mean}");
        Assert.NotEqual(guided, mean);
    }

    [Theory]
    [InlineData("ssd", DistillationTarget.StudentGuided)]
    [InlineData("MEAN", DistillationTarget.Mean)]
    public void ParseTarget_KnownName_ReturnsTarget(string text, DistillationTarget expected)
    {
        Assert.Equal(expected, SsdEdge.Trainer.Cli.DistillCommand.ParseTarget(text));
    }

    [Fact]
    public void ParseTarget_UnknownName_ThrowsListingNames()
    {
        var error = Assert.Throws<ArgumentException>(() => SsdEdge.Trainer.Cli.DistillCommand.ParseTarget("logits"));

        Assert.Contains("ssd or mean", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_OnePass_Throws()
    {
        var options = new DistillationOptions { Passes = 1 };

        var error = Assert.Throws<ArgumentException>(() => new StudentDistiller(options));

        Assert.Contains("--passes 1", error.Message, StringComparison.Ordinal);
    }

    private static bool Same(Tensor left, Tensor right) => left.allclose(right, rtol: 0, atol: 0);
}
