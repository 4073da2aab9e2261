using System.Globalization;
using SsdEdge.Trainer.Training;

namespace SsdEdge.Trainer.Distillation;

/// <summary>Settings of stochastic self-distillation on top of the optimiser settings.</summary>
public sealed record DistillationOptions
{
    /// <summary>
    /// Optimiser, epochs, batch size, seed, device, progress callbacks and checkpoints of the
    /// student.
    /// </summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>Stochastic teacher passes N per batch; at least 2.</summary>
    public int Passes { get; init; } = 30;

    /// <summary>Teacher modules whose dropout is switched on.</summary>
    public StochasticLayers StochasticLayers { get; init; } =
        StochasticLayers.Parse(StochasticLayers.DefaultSpecification);

    /// <summary>Rate for the selected teacher dropout modules; null keeps the trained model's rate.</summary>
    public double? DropoutRate { get; init; }

    /// <summary>
    /// Maximum rows (passes × windows) in one teacher forward of the stochastic part, which bounds
    /// its memory and keeps it in cache; null for <see cref="StochasticTeacher.AutomaticChunkRows"/>.
    /// A chunk contains at least one pass.
    /// </summary>
    public int? TeacherChunkRows { get; init; }

    /// <summary>Softmax temperature h of the student-guided weights.</summary>
    public double Temperature { get; init; } = 5;

    /// <summary>Percentile, in [0, 100], that a teacher pass's weight must reach to be kept.</summary>
    public double Percentile { get; init; } = 90;

    /// <summary>
    /// Target of the representation loss: the student-guided weighting (SSD), or the plain mean of
    /// the stochastic passes (feature-KD baseline). A percentile of 0 gives SSD without its filter.
    /// </summary>
    public DistillationTarget Target { get; init; } = DistillationTarget.StudentGuided;

    /// <summary>Weight of the cross-entropy on the labels.</summary>
    public double CrossEntropyWeight { get; init; } = 0.5;

    /// <summary>Weight of the student-guided representation loss.</summary>
    public double DistillationWeight { get; init; } = 0.5;

    /// <summary>Whether no gradient flows through the student-guided weights α.</summary>
    public bool DetachWeights { get; init; }

    /// <summary>
    /// Weight of Hinton's logit distillation: KL divergence from the teacher's softened class
    /// probabilities to the student's, times T². 0 leaves it out.
    /// </summary>
    public double LogitDistillationWeight { get; init; }

    /// <summary>Temperature T of the logit distillation.</summary>
    public double LogitDistillationTemperature { get; init; } = 4;

    /// <summary>Where the student's weights start.</summary>
    public StudentInitialization StudentInitialization { get; init; } = StudentInitialization.Teacher;

    /// <summary>Checks that every setting is usable.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Training);
        ArgumentNullException.ThrowIfNull(StochasticLayers);
        Training.Validate();
        if (Passes < 2)
        {
            throw new ArgumentException($"--passes {Passes} is invalid; distillation needs at least 2, such as 30.");
        }

        if (TeacherChunkRows is < 1)
        {
            throw new ArgumentException(
                $"--teacher-chunk-rows {TeacherChunkRows} is invalid; use at least 1, such as 256, or leave it out.");
        }

        if (DropoutRate is { } rate && !(rate >= 0 && rate < 1))
        {
            throw new ArgumentException(
                $"--dropout-rate {rate} is invalid; use a rate from 0 up to but not including 1, such as 0.1.");
        }

        RequirePositive(Temperature, "--temperature");
        RequirePositive(LogitDistillationTemperature, "--logit-kd-temperature");
        if (!(Percentile >= 0 && Percentile <= 100))
        {
            throw new ArgumentException($"--percentile {Percentile} is invalid; use a value in [0, 100], such as 90.");
        }

        RequireWeight(CrossEntropyWeight, "--ce-weight");
        RequireWeight(DistillationWeight, "--kd-weight");
        RequireWeight(LogitDistillationWeight, "--logit-kd-weight");
        if (CrossEntropyWeight + DistillationWeight + LogitDistillationWeight == 0)
        {
            throw new ArgumentException(
                "--ce-weight, --kd-weight and --logit-kd-weight are all 0, so the student would learn nothing.");
        }
    }

    /// <summary>
    /// The settings that shape the student's trajectory besides the optimiser's, as one line for
    /// the training checkpoint's fingerprint. The chunk size is left out, so a run that ran out of
    /// memory can resume with smaller chunks; the dropout masks then differ from an uninterrupted
    /// run's, though they follow the same distribution.
    /// </summary>
    internal string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"passes {Passes}, layers '{StochasticLayers}', rate {DropoutRate?.ToString(CultureInfo.InvariantCulture) ?? "trained"}, "
        + $"target {Target}, h {Temperature}, percentile {Percentile}, weights ce {CrossEntropyWeight} "
        + $"kd {DistillationWeight} logit {LogitDistillationWeight} (T {LogitDistillationTemperature}), "
        + $"detach {DetachWeights}, student {StudentInitialization}");

    private static void RequirePositive(double value, string option)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentException($"{option} {value} is invalid; use a positive number.");
        }
    }

    private static void RequireWeight(double value, string option)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentException($"{option} {value} is invalid; use 0 or a positive number.");
        }
    }
}
