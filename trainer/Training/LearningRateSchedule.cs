using System.Globalization;

namespace SsdEdge.Trainer.Training;

/// <summary>
/// Learning rate of each epoch as a pure function of the epoch number, the run's epoch count and
/// the base rate, so a resumed run needs no scheduler state beyond the epochs it completed.
/// </summary>
/// <remarks>
/// With <see cref="WarmupEpochs"/> W &gt; 0, epoch e ≤ W runs at base·e/(W + 1), a linear ramp
/// that reaches the base rate in epoch W + 1. The schedule proper counts epochs from there.
/// <see cref="LearningRateScheduleKind.Cosine"/> follows PyTorch's CosineAnnealingLR with
/// T_max equal to the epochs after the warm-up: the first of them runs at the base rate and the
/// last one just above <see cref="MinimumLearningRate"/>.
/// <see cref="LearningRateScheduleKind.Step"/> follows StepLR: the rate is multiplied by
/// <see cref="Gamma"/> after every <see cref="StepEpochs"/> epochs.
/// </remarks>
public sealed record LearningRateSchedule
{
    /// <summary>Schedule shape.</summary>
    public LearningRateScheduleKind Kind { get; init; } = LearningRateScheduleKind.Constant;

    /// <summary>Epochs of linear warm-up before the schedule starts; 0 for none.</summary>
    public int WarmupEpochs { get; init; }

    /// <summary>Rate the cosine schedule anneals towards (PyTorch's eta_min); cosine only.</summary>
    public double MinimumLearningRate { get; init; }

    /// <summary>Epochs between two multiplications by <see cref="Gamma"/>; step only.</summary>
    public int StepEpochs { get; init; } = 1;

    /// <summary>Factor applied to the rate every <see cref="StepEpochs"/> epochs; step only.</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>The base learning rate in every epoch.</summary>
    public static LearningRateSchedule Constant { get; } = new();

    /// <summary>Whether the rate of an epoch depends on the run's total epoch count.</summary>
    public bool DependsOnEpochCount => Kind == LearningRateScheduleKind.Cosine;

    /// <summary>Creates a cosine annealing schedule.</summary>
    public static LearningRateSchedule Cosine(double minimumLearningRate = 0, int warmupEpochs = 0) =>
        new()
        {
            Kind = LearningRateScheduleKind.Cosine,
            MinimumLearningRate = minimumLearningRate,
            WarmupEpochs = warmupEpochs,
        };

    /// <summary>Creates a step schedule that multiplies the rate by <paramref name="gamma"/>.</summary>
    public static LearningRateSchedule Step(int stepEpochs, double gamma = 0.1, int warmupEpochs = 0) =>
        new()
        {
            Kind = LearningRateScheduleKind.Step,
            StepEpochs = stepEpochs,
            Gamma = gamma,
            WarmupEpochs = warmupEpochs,
        };

    /// <summary>Computes the learning rate of <paramref name="epoch"/> (from 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The epoch lies outside 1..epochs.</exception>
    public double LearningRateAt(int epoch, int epochs, double baseLearningRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(epoch, epochs);

        if (epoch <= WarmupEpochs)
        {
            return baseLearningRate * epoch / (WarmupEpochs + 1);
        }

        var scheduled = epoch - WarmupEpochs - 1;
        switch (Kind)
        {
            case LearningRateScheduleKind.Cosine:
                var span = epochs - WarmupEpochs;
                var cosine = (1 + Math.Cos(Math.PI * scheduled / span)) / 2;
                return MinimumLearningRate + ((baseLearningRate - MinimumLearningRate) * cosine);
            case LearningRateScheduleKind.Step:
                return baseLearningRate * Math.Pow(Gamma, scheduled / StepEpochs);
            default:
                return baseLearningRate;
        }
    }

    /// <summary>Checks that the schedule is usable in a run of <paramref name="epochs"/> epochs.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate(int epochs, double baseLearningRate)
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"Unknown learning rate schedule kind {(int)Kind}.");
        }

        if (WarmupEpochs < 0 || WarmupEpochs >= epochs)
        {
            throw new ArgumentException(
                $"Warm-up must last from 0 to {epochs - 1} epochs so that at least one epoch of the "
                + $"{epochs} follows the schedule; got {WarmupEpochs}.");
        }

        if (Kind == LearningRateScheduleKind.Cosine
            && !(MinimumLearningRate >= 0 && MinimumLearningRate <= baseLearningRate))
        {
            throw new ArgumentException(
                $"The cosine schedule's minimum learning rate must lie in [0, {baseLearningRate}] "
                + $"(the base rate); got {MinimumLearningRate}.");
        }

        if (Kind == LearningRateScheduleKind.Step && StepEpochs < 1)
        {
            throw new ArgumentException(
                $"The step schedule needs StepEpochs of at least 1; got {StepEpochs}.");
        }

        if (Kind == LearningRateScheduleKind.Step && !(Gamma > 0 && double.IsFinite(Gamma)))
        {
            throw new ArgumentException(
                $"The step schedule's gamma must be a positive number; got {Gamma}.");
        }
    }

    /// <summary>Returns a short description such as <c>cosine(min 1E-05, warm-up 2)</c>.</summary>
    public override string ToString()
    {
        var warmup = WarmupEpochs > 0 ? $", warm-up {WarmupEpochs}" : string.Empty;
        return Kind switch
        {
            LearningRateScheduleKind.Cosine =>
                string.Create(CultureInfo.InvariantCulture, $"cosine(min {MinimumLearningRate:G6}{warmup})"),
            LearningRateScheduleKind.Step => string.Create(
                CultureInfo.InvariantCulture,
                $"step(every {StepEpochs}, gamma {Gamma:G6}{warmup})"),
            _ => WarmupEpochs > 0 ? $"constant(warm-up {WarmupEpochs})" : "constant",
        };
    }
}
