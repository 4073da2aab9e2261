using SsdEdge.Numerics;
using SsdEdge.Tests;
using SsdEdge.Trainer.Distillation;
using Xunit;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Tests.Distillation;

public sealed class StudentGuidedLossTests
{
    // sgkd_loss of reference/summary.json: the authors' PyTorch loss on these tensors, h = 5, 90th percentile.
    private const double ReferenceLoss = 0.01413725409656763;

    [Fact]
    public void Compute_ReferenceTensorsInFloat64_MatchesPyTorchLoss()
    {
        var (student, teachers) = ReadReference(ScalarType.Float64);
        using (student)
        using (teachers)
        {
            using var loss = new StudentGuidedLoss(temperature: 5, percentile: 90).Compute(student, teachers);

            var value = loss.item<double>();
            Assert.True(
                Math.Abs(value - ReferenceLoss) <= 1e-6 * ReferenceLoss,
                $"loss {value:R}, expected {ReferenceLoss:R}");
        }
    }

    [Fact]
    public void Compute_ReferenceTensorsInFloat32_MatchesPyTorchLoss()
    {
        var (student, teachers) = ReadReference(ScalarType.Float32);
        using (student)
        using (teachers)
        {
            using var loss = new StudentGuidedLoss().Compute(student, teachers);

            var value = loss.item<float>();
            Assert.True(
                Math.Abs(value - ReferenceLoss) <= 1e-6 * ReferenceLoss,
                $"loss {value:R}, expected {ReferenceLoss:R}");
        }
    }

    [Fact]
    public void Weights_TenPasses_KeepTopShareAndSumToOne()
    {
        // Ten teacher rows along one axis with growing scale: scores grow with the index.
        using var student = ones(2, 3, dtype: ScalarType.Float64);
        using var scales = arange(1, 11, dtype: ScalarType.Float64).reshape(1, 10, 1) * 0.5;
        using var teachers = ones(2, 10, 3, dtype: ScalarType.Float64) * scales;

        using var weights = new StudentGuidedLoss(temperature: 5, percentile: 80).Weights(student, teachers);

        // 80th percentile of 10 values: position 7.2, so the two largest weights (indices 8, 9) stay.
        using var kept = weights.gt(0).to_type(ScalarType.Int64).sum(1);
        using var sums = weights.sum(1);
        Assert.Equal(2L, kept[0].item<long>());
        Assert.Equal(2L, kept[1].item<long>());
        Assert.True(weights[0, 9].item<double>() > weights[0, 8].item<double>());
        Assert.Equal(0.0, weights[0, ..8].abs().sum().item<double>());
        Assert.Equal(1.0, sums[0].item<double>(), 12);
        Assert.Equal(1.0, sums[1].item<double>(), 12);
    }

    [Fact]
    public void Compute_DetachWeights_ChangesOnlyTheGradient()
    {
        using var generator = new Generator(3);
        using var teachers = randn([4, 6, 5], dtype: ScalarType.Float64, generator: generator);
        using var start = randn([4, 5], dtype: ScalarType.Float64, generator: generator);
        using var attached = start.clone().requires_grad_(true);
        using var detached = start.clone().requires_grad_(true);

        using var attachedLoss = new StudentGuidedLoss(percentile: 50).Compute(attached, teachers);
        using var detachedLoss = new StudentGuidedLoss(percentile: 50, detachWeights: true)
            .Compute(detached, teachers);
        attachedLoss.backward();
        detachedLoss.backward();

        Assert.Equal(attachedLoss.item<double>(), detachedLoss.item<double>(), 14);
        using var gradientGap = (attached.grad! - detached.grad!).abs().max();
        Assert.True(gradientGap.item<double>() > 1e-9, "the weights carried no gradient");
    }

    [Fact]
    public void Compute_MismatchedShapes_Throws()
    {
        using var student = zeros(2, 5);
        using var teachers = zeros(2, 4, 6);

        var error = Assert.Throws<ArgumentException>(() => new StudentGuidedLoss().Compute(student, teachers));

        Assert.Contains("(2, 4, 6)", error.Message, StringComparison.Ordinal);
    }

    private static (Tensor Student, Tensor Teachers) ReadReference(ScalarType dtype)
    {
        var student = NpyFile.Read(TestData.PathOf("reference/sgkd_student.npy"));
        var teachers = NpyFile.Read(TestData.PathOf("reference/sgkd_teachers.npy"));
        using var studentValues = tensor(student.Data, student.Shape.Select(size => (long)size).ToArray());
        using var teacherValues = tensor(teachers.Data, teachers.Shape.Select(size => (long)size).ToArray());
        return (studentValues.to_type(dtype), teacherValues.to_type(dtype));
    }
}
